import { useContext } from 'react';
import type { GraphiQLPlugin } from '@graphiql/react';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { examples, type Example } from './examples';
import { LangContext, useText } from './i18n';

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 5h16M4 10h16M4 15h10M4 20h7" strokeLinecap="round" />
    </svg>
  );
}

function ExamplesList() {
  const t = useText();
  const lang = useContext(LangContext);
  const { addTab } = useGraphiQLActions();
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const open = (example: Example) => {
    // A blank tab is reused; otherwise the example gets a tab of its own, so no work is lost.
    if (queryEditor?.getValue().trim()) addTab();
    queryEditor?.setValue(example.query);
    variableEditor?.setValue('');
  };
  return (
    <div className="hub-examples">
      <h2>{t('examples')}</h2>
      <p>{t('examplesHint')}</p>
      <ul>
        {examples.map((example) => (
          <li key={example.file}>
            {/* Enabled once Monaco has made the editor: a click before would be lost. */}
            <button type="button" data-example={example.file} disabled={!queryEditor} onClick={() => open(example)}>
              <strong>{example.name}</strong>
              <span>{lang === 'th' ? (example.descriptionTh ?? example.description) : example.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The hub's named operations from examples/, ready to pick. */
export const examplesPlugin: GraphiQLPlugin = {
  title: 'Examples · ตัวอย่าง',
  icon: ExamplesIcon,
  content: ExamplesList,
};
