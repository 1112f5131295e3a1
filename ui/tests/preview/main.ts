// A browser preview of the UI against the fake shell of the tests, for screenshots and for
// looking at screens without the desktop app: `npm run preview:mock`, then open
// index.html#<screen>[,<state>] (for example #person, #today,dark or #unlock).
import { mount } from 'svelte';
import App from '../../src/App.svelte';
import '../../src/app.css';
import { router, type Route } from '../../src/lib/router.svelte';
import { session } from '../../src/lib/session.svelte';
import { ADA, TP1, installFakeBackend } from '../fixtures';

const [screen = 'today', ...flags] = location.hash.slice(1).split(',');
const status = screen === 'first-run' ? 'no_journal' : screen === 'unlock' ? 'locked' : 'unlocked';
installFakeBackend({ status, demo: flags.includes('demo'), timelineTotal: 100_000 });
if (flags.includes('dark')) document.documentElement.dataset.theme = 'dark';

const routes: Record<string, Route> = {
  people: { name: 'people' },
  person: { name: 'person', id: ADA },
  timeline: { name: 'timeline' },
  entry: { name: 'entry', id: TP1 },
  reflect: { name: 'reflect', touchpointId: TP1 },
  prompts: { name: 'prompts' },
  settings: { name: 'settings' },
  about: { name: 'about' },
};
const route = routes[screen];
if (route) router.go(route);
if (flags.includes('capture')) session.capture = {};
if (flags.includes('help')) session.helpOpen = true;

mount(App, { target: document.getElementById('app')! });
