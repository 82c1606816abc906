/**
 * Rule documentation as read-only virtual Markdown documents (`autograd-lens-docs:/AGL001.md`), shown in
 * the Markdown preview (the text editor when the preview is unavailable). The Markdown comes from the
 * core (`ruleDocsMarkdown`), which renders the Ruff-shaped sections of each rule.
 */
import * as vscode from 'vscode';
import { RULES, ruleByCode, ruleDocsMarkdown } from '../../core/lint';
import { DOCS_SCHEME, ruleDocsUri } from './convert';

export { DOCS_SCHEME };

export class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/i, '');
    const rule = ruleByCode(code);
    if (!rule) return `# Unknown rule \`${code}\`\n\nKnown rules: ${RULES.map((r) => `\`${r.code}\``).join(', ')}.\n`;
    return ruleDocsMarkdown(rule);
  }
}

/** Docs documents the Markdown preview could not show, which therefore stay in a text editor. */
const shownAsText = new Set<string>();

/**
 * A rule code's link in the Problems panel and the problem hover opens its target with the editor's
 * opener, which puts a virtual Markdown document in a text editor: raw Markdown. This swaps such a
 * text tab for the rendered preview (what "Show documentation" in the light bulb opens), so the docs
 * read the same whichever way they were opened.
 */
export function renderDocsLinks(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.window.tabGroups.onDidChangeTabs(async (e) => {
    for (const tab of e.opened) {
      if (!(tab.input instanceof vscode.TabInputText) || tab.input.uri.scheme !== DOCS_SCHEME) continue;
      const uri = tab.input.uri;
      if (shownAsText.has(uri.toString())) continue;
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch (err) {
        shownAsText.add(uri.toString());
        log.info(`Markdown preview unavailable (${String(err)}); ${uri.path} stays in a text editor`);
        continue;
      }
      // The preview may already have replaced a tab opened in preview mode.
      const still = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
      if (still.length) await vscode.window.tabGroups.close(still, true).then(undefined, () => undefined);
    }
  });
}

/** Opens the documentation of a rule; with no code, asks for one with a quick pick. Returns the code shown. */
export async function showRuleDocs(log: vscode.LogOutputChannel, codeArg?: unknown): Promise<string | undefined> {
  let code = typeof codeArg === 'string' ? codeArg.trim().toUpperCase() : undefined;
  if (code && !ruleByCode(code)) {
    void vscode.window.showWarningMessage(`Autograd Lens: there is no rule ${code}.`);
    code = undefined;
  }
  if (!code) {
    const picked = await vscode.window.showQuickPick(
      RULES.map((r) => ({ label: r.code, description: r.name, detail: r.summary })),
      { title: 'Autograd Lens rules', placeHolder: 'Show the documentation of a rule', matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return undefined;
    code = picked.label;
  }
  const uri = ruleDocsUri(code);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch (err) {
    log.info(`Markdown preview unavailable (${String(err)}); opening ${code} docs as text`);
    shownAsText.add(uri.toString());
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
  return code;
}
