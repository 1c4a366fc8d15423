// Monaco's editor, JSON and GraphQL workers, bundled as files of our own (no CDN).
import 'graphiql/setup-workers/vite';
import '@fontsource/noto-sans-thai/400.css';
import '@fontsource/noto-sans-thai/700.css';
// GraphiQL's styles without its all-in-one style.css, which repeats Monaco's
// CSS and inlines fonts (Roboto, Fira Code) the hub does not use.
import '@graphiql/react/style.css';
import '@graphiql/plugin-doc-explorer/style.css';
import '@graphiql/plugin-history/style.css';
import 'graphiql/graphiql.css';
import '@graphiql/plugin-explorer/style.css';
import './ide.css';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { savedLang } from './i18n';

document.documentElement.lang = savedLang();
createRoot(document.getElementById('root')!).render(<App />);
