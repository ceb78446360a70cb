import type { EventCatalogueDocuments } from '@backbone/contracts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/**
 * The catalogue page: the AsyncAPI document rendered by @asyncapi/react-component (standalone
 * bundle) from `asyncapi.json` beside it, plus a plain table of every type that needs no script.
 * All links are relative, so the page works under any base path that ends in `/`.
 */
export function catalogueIndexPage(
  documents: EventCatalogueDocuments,
  assets: { script: string; styles: string },
): string {
  const rows = documents.entries
    .map(
      (entry) =>
        `<tr><td><code>${escapeHtml(entry.type)}</code></td><td>${escapeHtml(entry.producer)}</td>` +
        `<td><code>${escapeHtml(entry.topic)}</code></td><td>${escapeHtml(entry.aggregate)} id</td>` +
        `<td><a href="${escapeHtml(entry.schemaUrl)}">schema</a></td><td>${escapeHtml(entry.description)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Two-tier backbone — event catalogue</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(assets.styles)}">
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  .catalogue-header { padding: 12px 24px; background: #1f2937; color: #f9fafb; }
  .catalogue-header a { color: #93c5fd; margin-right: 16px; }
  .catalogue-header h1 { font-size: 20px; margin: 0 0 6px 0; }
  .catalogue-types { padding: 0 24px 24px; }
  .catalogue-types table { border-collapse: collapse; font-size: 13px; }
  .catalogue-types td, .catalogue-types th { border: 1px solid #d1d5db; padding: 3px 6px; text-align: left; }
</style>
</head>
<body>
<header class="catalogue-header">
  <h1>Two-tier backbone — event catalogue</h1>
  <nav>
    <a href="asyncapi.yaml">AsyncAPI (YAML)</a>
    <a href="asyncapi.json">AsyncAPI (JSON)</a>
    <a href="schemas/cloudevent.json">CloudEvents envelope schema</a>
    <span>${documents.entries.length} event types · dataschema base <code>${escapeHtml(documents.baseUrl)}</code> · how to consume: docs/consuming-events.md</span>
  </nav>
</header>
<main>
  <div id="asyncapi" data-testid="asyncapi-rendered">Loading the AsyncAPI document…</div>
  <section class="catalogue-types">
    <details>
      <summary>Every event type (plain table)</summary>
      <table data-testid="catalogue-table">
        <thead><tr><th>type</th><th>producer</th><th>topic</th><th>key</th><th>schema</th><th>what happened</th></tr></thead>
        <tbody>
${rows}
        </tbody>
      </table>
    </details>
  </section>
</main>
<script src="${escapeHtml(assets.script)}"></script>
<script>
  // The document as @asyncapi/parser parsed it at build time (stringified): rendered without parsing.
  fetch('asyncapi.parsed.json')
    .then(function (response) { return response.text(); })
    .then(function (schema) {
      AsyncApiStandalone.render(
        {
          schema: schema,
          config: {
            show: { sidebar: true, info: true, servers: true, operations: true, messages: true, schemas: true, errors: true },
            sidebar: { showOperations: 'byDefault' },
          },
        },
        document.getElementById('asyncapi'),
      );
    })
    .catch(function (error) {
      document.getElementById('asyncapi').textContent = 'Could not load asyncapi.parsed.json: ' + error;
    });
</script>
</body>
</html>
`;
}
