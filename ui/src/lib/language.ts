// The page's language as the browser's formatting functions need it.
//
// WebKit reports the process locale as navigator.language; on a system whose locale is "C" or
// "POSIX" that is not a valid language tag, and every Intl formatter given it throws (the chart
// library builds one as it loads). Such a locale names no language, so English stands in.

/** Whether `tag` is a language tag Intl accepts. */
export function isValidLanguage(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** Replaces an invalid navigator.language (and languages) with "en-US" for this page. */
export function ensureValidLanguage(nav: Navigator = navigator): void {
  if (isValidLanguage(nav.language)) return;
  Object.defineProperty(nav, 'language', { configurable: true, get: () => 'en-US' });
  const valid = nav.languages.filter(isValidLanguage);
  Object.defineProperty(nav, 'languages', {
    configurable: true,
    get: () => (valid.length > 0 ? valid : ['en-US']),
  });
}
