// Marks the first frame that shows the page, as the Touchpoint app marks its unlock screen:
// the second animation frame after the content runs once the first has been painted.
requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('first-screen')));
