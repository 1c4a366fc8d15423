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
import { graphiqlStorage, NetworkHandle, networkWidthWithin, saveLayout, savedLayout, SharedTabs, useKeyboardDragBars, useNetworkRoom, useResponseArea, type Layout } from './layout';

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

/**
 * Gives GraphiQL's four editors a font stack that can show Thai. The JSON ones
 * (response, variables, headers) wrap long lines where the browser's own line
 * breaker would: Monaco's simple wrapping counts columns and cuts Thai inside a
 * word, even between a consonant and its vowel, which then shows alone as a
 * box. The operation stays unwrapped, as code is.
 */
function ThaiEditorFont() {
  // One selector each: a selector that built a new array would re-render forever.
  const query = useGraphiQL((state) => state.queryEditor);
  const json = [
    useGraphiQL((state) => state.variableEditor),
    useGraphiQL((state) => state.headerEditor),
    useGraphiQL((state) => state.responseEditor),
  ];
  const editors = [query, ...json];
  const monaco = useMonaco((state) => state.monaco);
  useEffect(() => {
    query?.updateOptions({ fontFamily: EDITOR_FONT });
    for (const editor of json) editor?.updateOptions({ fontFamily: EDITOR_FONT, wordWrap: 'on', wrappingStrategy: 'advanced' });
    // Monaco measures glyphs once; measure again when the web font has arrived.
    void document.fonts?.load('14px "Noto Sans Thai"', 'ก').then(() => monaco?.editor.remeasureFonts());
  }, [...editors, monaco]);
  return null;
}

/** Keeps the active operation's tab in view when there are more tabs than fit. */
function showActiveTab() {
  requestAnimationFrame(() => document.querySelector('.graphiql-tab-active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
}

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang);
  const [graphOpen, setGraphOpen] = useState(false);
  const [response, setResponse] = useState<string | null>(null);
  // The headers the last operation was sent with: the graph view fetches neighbours with them.
  const lastHeaders = useRef<Headers>({});
  const [headers, setHeaders] = useState<Headers>({});
  const [networkWidth, setNetworkWidth] = useState(savedLayout().networkWidth);
  const [collapsed, setCollapsed] = useState(savedLayout().networkCollapsed);
  const [maximized, setMaximized] = useState(savedLayout().networkMaximized);
  const [shared, setShared] = useState(savedLayout().shared);
  const space = useNetworkRoom(graphOpen);
  const { placement } = space;
  const width = networkWidthWithin(networkWidth, space);
  const sharing = graphOpen && !maximized && placement === 'shared';
  const area = useResponseArea(sharing && shared === 'network');
  useKeyboardDragBars(lang);
  useEffect(showActiveTab, []);

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

  const resize = (next: number, done: boolean) => {
    setNetworkWidth(next);
    if (done) saveLayout({ networkWidth: next });
  };
  const collapse = (next: boolean) => {
    setCollapsed(next);
    saveLayout({ networkCollapsed: next });
  };
  const maximize = (next: boolean) => {
    setMaximized(next);
    saveLayout({ networkMaximized: next });
  };
  const share = (next: Layout['shared']) => {
    setShared(next);
    saveLayout({ shared: next });
  };

  // The toolbar button shows the network view when it is open but out of sight, and closes it when in sight.
  const hidden = !maximized && (placement === 'shared' ? shared === 'response' : collapsed);
  const toggleGraph = () => {
    if (!graphOpen) {
      // Opened on purpose: shown, wherever it goes.
      setGraphOpen(true);
      if (shared !== 'network') share('network');
      if (collapsed) collapse(false);
    } else if (hidden) {
      if (placement === 'shared') share('network');
      else collapse(false);
    } else setGraphOpen(false);
  };

  // Escape brings the maximised view back beside (or under a tab of) the response.
  useEffect(() => {
    if (!graphOpen || !maximized) return;
    const restore = (event: globalThis.KeyboardEvent) => event.key === 'Escape' && maximize(false);
    window.addEventListener('keydown', restore);
    return () => window.removeEventListener('keydown', restore);
  }, [graphOpen, maximized]);

  const host = !graphOpen
    ? undefined
    : maximized
      ? 'maximized'
      : placement === 'shared'
        ? shared === 'network' && area
          ? 'shared'
          : 'away'
        : collapsed
          ? 'away'
          : 'beside';
  const hostStyle =
    host === 'shared' && area
      ? { left: area.left, top: area.top, width: area.width, height: area.height }
      : host === 'beside' || host === 'away'
        ? { width }
        : undefined;

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
            storage={graphiqlStorage}
            onTabChange={(state) => {
              const tab = state.tabs[state.activeTabIndex];
              setResponse(tab?.response ?? null);
              setHeaders(lastHeaders.current);
              showActiveTab();
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
                <span className="hub-logo-title">{lang === 'th' ? 'ศูนย์ข้อมูลต่อต้านความยากจน' : 'Anti-poverty hub'}</span>
              </span>
            </GraphiQL.Logo>
            <GraphiQL.Toolbar>
              {({ prettify, merge, copy }) => (
                <>
                  {prettify}
                  {merge}
                  {copy}
                  <ToolbarButton
                    label={text(lang, 'graph')}
                    data-testid="graph-toggle"
                    aria-pressed={graphOpen && !hidden}
                    onClick={toggleGraph}
                  >
                    <NetworkIcon />
                  </ToolbarButton>
                </>
              )}
            </GraphiQL.Toolbar>
          </GraphiQL>
        </div>
        {graphOpen && !maximized && placement === 'beside' && (
          <NetworkHandle width={width} space={space} collapsed={collapsed} lang={lang} onResize={resize} onCollapse={collapse} />
        )}
        {sharing && <SharedTabs shared={shared} lang={lang} onChange={share} />}
        {graphOpen && (
          <div className="hub-network" data-place={host} style={hostStyle}>
            <GraphPanel
              response={response}
              headers={headers}
              onClose={() => setGraphOpen(false)}
              maximized={maximized}
              onToggleMaximize={() => maximize(!maximized)}
            />
          </div>
        )}
      </div>
    </LangContext.Provider>
  );
}
