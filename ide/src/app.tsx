import { useCallback, useEffect, useRef, useState } from 'react';
import { GraphiQL } from 'graphiql';
import { ToolbarButton, useGraphiQL, useMonaco } from '@graphiql/react';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import type { DocumentNode } from 'graphql';
import { examples } from './examples';
import { examplesPlugin } from './examples-plugin';
import { isSubscription, runGraphQL, subscribeGraphQL, type Headers, type OperationParams } from './fetcher';
import { follow } from './graph/live';
import { GraphPanel } from './graph/panel';
import { LangContext, saveLang, savedLang, text, type Lang } from './i18n';

const explorer = explorerPlugin();
const plugins = [examplesPlugin, explorer];

// A first visit opens on the Nakhon Si Thammarat neighbourhood; later visits keep their own tabs.
const firstExample = examples.find((example) => example.file === 'neighbourhood') ?? examples[0];
const defaultTabs = firstExample ? [{ query: firstExample.query }] : undefined;

// JSONC, as the header editor takes it: the Authorization line is there to uncomment.
const DEFAULT_HEADERS = '{\n  // "Authorization": "Bearer <token>"\n}\n';

function NetworkIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <circle cx="6" cy="6" r="2.5" />
      <circle cx="18" cy="8" r="2.5" />
      <circle cx="10" cy="18" r="2.5" />
      <path d="M8.3 7 15.6 7.6M7 8.3 9.2 15.6M16.5 10 11.8 16.2" />
    </svg>
  );
}

// GraphiQL's editors use Fira Code alone; Thai names in answers need the bundled Thai font behind it.
const EDITOR_FONT = '"Fira Code", "Noto Sans Thai", monospace';

/** Gives GraphiQL's four editors a font stack that can show Thai. */
function ThaiEditorFont() {
  // One selector each: a selector that built a new array would re-render forever.
  const editors = [
    useGraphiQL((state) => state.queryEditor),
    useGraphiQL((state) => state.variableEditor),
    useGraphiQL((state) => state.headerEditor),
    useGraphiQL((state) => state.responseEditor),
  ];
  const monaco = useMonaco((state) => state.monaco);
  useEffect(() => {
    for (const editor of editors) editor?.updateOptions({ fontFamily: EDITOR_FONT });
    // Monaco measures glyphs once; measure again when the web font has arrived.
    void document.fonts?.load('14px "Noto Sans Thai"', 'ก').then(() => monaco?.editor.remeasureFonts());
  }, [...editors, monaco]);
  return null;
}

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang);
  const [graphOpen, setGraphOpen] = useState(false);
  const [response, setResponse] = useState<string | null>(null);
  // The headers the last operation was sent with: the graph view fetches neighbours with them.
  const lastHeaders = useRef<Headers>({});
  const [headers, setHeaders] = useState<Headers>({});

  // A subscription streams its events over SSE into the response pane, and the network view follows them.
  const fetcher = useCallback(async (params: OperationParams, options?: { headers?: Headers; documentAST?: DocumentNode }) => {
    const sent = options?.headers ?? {};
    if (params.operationName !== 'IntrospectionQuery') lastHeaders.current = sent;
    if (isSubscription(params, options?.documentAST)) return follow(subscribeGraphQL(params, sent));
    return runGraphQL(params, sent);
  }, []);

  const switchLang = (next: Lang) => {
    setLang(next);
    saveLang(next);
    document.documentElement.lang = next;
  };

  return (
    <LangContext.Provider value={lang}>
      <div className="hub-ide">
        <div className="hub-ide-main">
          <GraphiQL
            fetcher={fetcher}
            plugins={plugins}
            visiblePlugin={examplesPlugin}
            defaultTabs={defaultTabs}
            defaultHeaders={DEFAULT_HEADERS}
            onTabChange={(state) => {
              const tab = state.tabs[state.activeTabIndex];
              setResponse(tab?.response ?? null);
              setHeaders(lastHeaders.current);
            }}
          >
            <GraphiQL.Logo>
              <ThaiEditorFont />
              <span className="hub-logo">
                <span className="hub-lang" role="group" aria-label={text(lang, 'language')}>
                  <button type="button" aria-pressed={lang === 'th'} onClick={() => switchLang('th')}>
                    ไทย
                  </button>
                  <button type="button" aria-pressed={lang === 'en'} onClick={() => switchLang('en')}>
                    EN
                  </button>
                </span>
                {lang === 'th' ? 'ศูนย์ข้อมูลต่อต้านความยากจน' : 'Anti-poverty hub'}
              </span>
            </GraphiQL.Logo>
            <GraphiQL.Toolbar>
              {({ prettify, merge, copy }) => (
                <>
                  {prettify}
                  {merge}
                  {copy}
                  <ToolbarButton label={text(lang, 'graph')} data-testid="graph-toggle" onClick={() => setGraphOpen((open) => !open)}>
                    <NetworkIcon />
                  </ToolbarButton>
                </>
              )}
            </GraphiQL.Toolbar>
          </GraphiQL>
        </div>
        {graphOpen && <GraphPanel response={response} headers={headers} onClose={() => setGraphOpen(false)} />}
      </div>
    </LangContext.Provider>
  );
}
