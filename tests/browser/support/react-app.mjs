// A whole-document React 19 app (like the Service's Next.js root layout), rendered on the server
// by react-origin.ts and hydrated in the browser with hydrateRoot(document).
import { createElement as h, useState } from 'react';

export function App() {
  const [count, setCount] = useState(0);
  return h(
    'html',
    { lang: 'en' },
    h('head', null, h('meta', { charSet: 'utf-8' }), h('title', null, 'React page')),
    h(
      'body',
      null,
      h(
        'main',
        null,
        h('h1', null, 'Hydrated by React'),
        h('button', { id: 'count', type: 'button', onClick: () => setCount(count + 1) }, `Clicked ${count}`),
      ),
      h('footer', null, h('a', { href: '#cookie-settings' }, 'Cookie settings')),
    ),
  );
}
