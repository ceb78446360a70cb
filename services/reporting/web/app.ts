import {
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { beginSignIn, completeSignIn, currentSession, type Session, signOut } from './auth';
import { h } from './dom';
import { foldForSearch, formatFigure, formatTime, type Language, word, type WordKey } from './i18n';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Filler);

/** One figure of the API's catalogue (/dashboard/catalogue): the dashboard knows none by name. */
interface Figure {
  key: string;
  path: string;
  format: string;
  source: string;
  label: Record<Language, string>;
  tile: boolean;
  column: boolean;
  series: boolean;
  overdue: boolean;
}

interface Freshness {
  completeUpTo: string | null;
  consumerLag: { messages: number | null; measuredAt: string | null };
}

type Figures = Record<string, unknown>;

interface UnitRow {
  unitCode: string;
  unitName: string;
  figures: Figures;
}

const state = {
  language: (localStorage.getItem('dashboard.language') === 'en' ? 'en' : 'vi') as Language,
  session: null as Session | null,
  catalogue: [] as Figure[],
  period: defaultPeriod(15),
  freshness: null as Freshness | null,
  sort: { key: 'unitCode', descending: false },
  search: '',
  unitType: 'all' as 'all' | 'ward' | 'commune',
  charts: [] as Chart[],
  /** Bumped on each render so that a slow answer for a view left behind is dropped. */
  renderId: 0,
};

const MAX_SERIES_DAYS = 366;
const t = (key: WordKey, values?: Record<string, string | number>) => word(state.language, key, values);

function hanoiToday(offsetDays = 0): string {
  const now = new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000);
  return now.toISOString().slice(0, 10);
}

function defaultPeriod(days: number): { from: string; to: string } {
  return { from: hanoiToday(-(days - 1)), to: hanoiToday() };
}

function isCityRole(): boolean {
  return Boolean(state.session?.roles.some((role) => role === 'city-admin' || role === 'auditor'));
}

function valueAt(figures: unknown, path: string): number | null {
  let value: unknown = figures;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'number' ? value : null;
}

class Unauthorised extends Error {}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { ...(init.headers ?? {}), authorization: `Bearer ${state.session!.accessToken}` },
  });
  if (response.status === 401) throw new Unauthorised();
  const body = (await response.json().catch(() => ({}))) as T & { freshness?: Freshness; detail?: string };
  if (!response.ok) throw new Error(body.detail ?? `HTTP ${response.status}`);
  if (body.freshness) {
    state.freshness = body.freshness;
    renderFreshness();
  }
  return body;
}

function periodQuery(): string {
  return `from=${state.period.from}&to=${state.period.to}`;
}

// ---------- frame ----------

const root = document.getElementById('app')!;
const main = h('main', { id: 'main' });
const stamp = h('div', { role: 'status', 'data-testid': 'freshness' });
const footer = h('footer', { class: 'freshness' }, stamp);

function route(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
}

function renderFrame(): void {
  document.documentElement.lang = state.language;
  document.title = t('title');
  const session = state.session!;
  const current = route()[0] ?? (isCityRole() ? 'city' : 'units');
  const links: [string, WordKey][] = isCityRole()
    ? [
        ['city', 'navCity'],
        ['units', 'navUnits'],
        ['overdue', 'navOverdue'],
        ['pipeline', 'navPipeline'],
      ]
    : [
        ['units', 'navUnits'],
        ['overdue', 'navOverdue'],
      ];
  const periodForm = h(
    'form',
    {
      class: 'period',
      'aria-label': t('period'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        const form = event.target as HTMLFormElement;
        const from = (form.elements.namedItem('from') as HTMLInputElement).value;
        const to = (form.elements.namedItem('to') as HTMLInputElement).value;
        if (from && to && from <= to) state.period = { from, to };
        void renderView();
      },
    },
    h(
      'label',
      {},
      t('from'),
      h('input', { type: 'date', name: 'from', value: state.period.from, required: true }),
    ),
    h('label', {}, t('to'), h('input', { type: 'date', name: 'to', value: state.period.to, required: true })),
    h('button', { type: 'submit', 'data-testid': 'apply-period' }, t('apply')),
    ...([15, 30] as const).map((days) =>
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            state.period = defaultPeriod(days);
            renderFrame();
            void renderView();
          },
        },
        t(days === 15 ? 'last15' : 'last30'),
      ),
    ),
  );
  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('h1', {}, t('title')),
      h('span', { class: 'who', 'data-testid': 'who' }, t('signedInAs', { name: session.name })),
      h(
        'button',
        {
          type: 'button',
          lang: state.language === 'vi' ? 'en' : 'vi',
          title: t('languageLabel'),
          'data-testid': 'language-toggle',
          onclick: () => {
            state.language = state.language === 'vi' ? 'en' : 'vi';
            localStorage.setItem('dashboard.language', state.language);
            renderFrame();
            void renderView();
          },
        },
        t('language'),
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            signOut();
            location.hash = '';
            showSignIn();
          },
        },
        t('signOut'),
      ),
    ),
    h(
      'nav',
      { class: 'main', 'aria-label': t('mainNav') },
      h(
        'ul',
        {},
        links.map(([path, label]) =>
          h(
            'li',
            {},
            h('a', { href: `#/${path}`, 'aria-current': current === path ? 'page' : null }, t(label)),
          ),
        ),
      ),
    ),
    periodForm,
    main,
    footer,
  );
  renderFreshness();
}

function renderFreshness(): void {
  const freshness = state.freshness;
  const time = freshness?.completeUpTo
    ? formatTime(freshness.completeUpTo, state.language)
    : t('freshnessUnknown');
  const lag = freshness?.consumerLag.messages ?? null;
  stamp.textContent = t('freshness', { time, lag: lag === null ? '—' : formatFigure(lag, 'count') });
  stamp.dataset.completeUpTo = freshness?.completeUpTo ?? '';
  stamp.dataset.lag = lag === null ? '' : String(lag);
}

// ---------- views ----------

async function renderView(): Promise<void> {
  for (const chart of state.charts) chart.destroy();
  state.charts = [];
  const id = ++state.renderId;
  const [view, argument] = route();
  main.replaceChildren(h('p', {}, t('loading')));
  try {
    const content = await (async () => {
      switch (view ?? (isCityRole() ? 'city' : 'units')) {
        case 'city':
          return isCityRole() ? cityView() : unitsView();
        case 'units':
          return argument ? unitView(argument) : unitsView();
        case 'overdue':
          return overdueView();
        case 'pipeline':
          return pipelineView();
        default:
          return unitsView();
      }
    })();
    if (id !== state.renderId) return;
    main.replaceChildren(...content.nodes);
    content.after?.();
  } catch (error) {
    if (id !== state.renderId) return;
    if (error instanceof Unauthorised) {
      signOut();
      showSignIn();
      return;
    }
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error', { message: String(error) })));
  }
}

interface ViewContent {
  nodes: Node[];
  after?: () => void;
}

function tiles(figures: Figures): HTMLElement {
  return h(
    'ul',
    { class: 'tiles', 'data-testid': 'tiles' },
    state.catalogue
      .filter((figure) => figure.tile)
      .map((figure) => {
        const value = valueAt(figures, figure.path);
        return h(
          'li',
          { class: 'tile', 'data-figure': figure.key, 'data-value': value === null ? '' : String(value) },
          h('p', { class: 'label' }, figure.label[state.language]),
          h('p', { class: 'value' }, formatFigure(value, figure.format)),
          h('p', { class: 'source' }, t('source', { source: figure.source })),
        );
      }),
  );
}

function seriesDays(): number {
  return (Date.parse(state.period.to) - Date.parse(state.period.from)) / 86_400_000 + 1;
}

async function charts(unit: string | null): Promise<ViewContent> {
  if (seriesDays() > MAX_SERIES_DAYS) return { nodes: [h('p', {}, t('seriesTooLong'))] };
  const body = await api<{ series: { day: string; figures: Figures }[] }>(
    `/reports/series/daily?${periodQuery()}${unit ? `&unit=${encodeURIComponent(unit)}` : ''}`,
  );
  const drawn = state.catalogue.filter((figure) => figure.series);
  const canvases = drawn.map((figure) =>
    h('canvas', {
      role: 'img',
      'aria-label': `${figure.label[state.language]}: ${body.series
        .map((point) => `${point.day} ${formatFigure(valueAt(point.figures, figure.path), figure.format)}`)
        .join('; ')}`,
      'data-series': figure.key,
    }),
  );
  return {
    nodes: [
      h(
        'div',
        { class: 'charts' },
        drawn.map((figure, index) =>
          h(
            'section',
            { class: 'chart' },
            h('h3', {}, figure.label[state.language]),
            // Chart.js sizes a responsive chart by its container: a box of fixed height.
            h('div', { class: 'chart-box' }, canvases[index]!),
          ),
        ),
      ),
    ],
    after: () => {
      drawn.forEach((figure, index) => {
        state.charts.push(
          new Chart(canvases[index]!, {
            type: 'line',
            data: {
              labels: body.series.map((point) => point.day.slice(5)),
              datasets: [
                {
                  label: figure.label[state.language],
                  data: body.series.map((point) => valueAt(point.figures, figure.path)),
                  borderColor: '#0b4f8a',
                  backgroundColor: 'rgba(11, 79, 138, 0.12)',
                  fill: true,
                  pointRadius: 2,
                  tension: 0.2,
                },
              ],
            },
            options: {
              animation: false,
              responsive: true,
              maintainAspectRatio: false,
              plugins: {
                tooltip: { callbacks: { label: (item) => formatFigure(item.parsed.y, figure.format) } },
              },
              scales: {
                y: {
                  beginAtZero: true,
                  // Counts and money in whole steps (no "0, 0, 1, 1" axis for small numbers).
                  ticks: {
                    precision: figure.format === 'percent' ? 2 : 0,
                    callback: (value) => formatFigure(Number(value), figure.format),
                  },
                },
              },
            },
          }),
        );
      });
    },
  };
}

async function cityView(): Promise<ViewContent> {
  const [summary, series] = await Promise.all([
    api<{ figures: Figures }>(`/reports/city/summary?${periodQuery()}`),
    charts(null),
  ]);
  return {
    nodes: [
      h('h2', {}, t('cityFigures')),
      tiles(summary.figures),
      h('h2', {}, t('dailySeries')),
      ...series.nodes,
    ],
    after: series.after,
  };
}

async function unitView(code: string): Promise<ViewContent> {
  const [summary, series] = await Promise.all([
    api<{ unitCode: string; unitName: string; figures: Figures }>(
      `/reports/units/${encodeURIComponent(code)}/summary?${periodQuery()}`,
    ),
    charts(code),
  ]);
  return {
    nodes: [
      h('p', {}, h('a', { href: '#/units' }, t('back'))),
      h('h2', { 'data-testid': 'unit-title' }, `${summary.unitName} (${summary.unitCode})`),
      h('h3', {}, t('unitFigures')),
      tiles(summary.figures),
      h('h3', {}, t('dailySeries')),
      ...series.nodes,
    ],
    after: series.after,
  };
}

function unitTypeOf(name: string): 'ward' | 'commune' | 'other' {
  if (name.startsWith('Phường')) return 'ward';
  if (name.startsWith('Xã')) return 'commune';
  return 'other';
}

async function unitsView(): Promise<ViewContent> {
  const body = await api<{ units: UnitRow[] }>(`/reports/units?${periodQuery()}`);
  const columns = state.catalogue.filter((figure) => figure.column);
  const tbody = h('tbody', {});
  const count = h('p', { 'aria-live': 'polite', 'data-testid': 'units-shown' });
  const headerCells = new Map<string, HTMLTableCellElement>();

  const sortValue = (row: UnitRow): string | number | null => {
    if (state.sort.key === 'unitCode') return row.unitCode;
    if (state.sort.key === 'unitName') return foldForSearch(row.unitName);
    const figure = columns.find((column) => column.key === state.sort.key);
    return figure ? valueAt(row.figures, figure.path) : null;
  };

  const fill = () => {
    const needle = foldForSearch(state.search.trim());
    const rows = body.units
      .filter(
        (row) => !needle || foldForSearch(row.unitName).includes(needle) || row.unitCode.includes(needle),
      )
      .filter((row) => state.unitType === 'all' || unitTypeOf(row.unitName) === state.unitType)
      .sort((a, b) => {
        const x = sortValue(a);
        const y = sortValue(b);
        // Units without a value (a rate with no dossiers) go last in either direction.
        if (x === null || y === null)
          return x === y ? a.unitCode.localeCompare(b.unitCode) : x === null ? 1 : -1;
        const order =
          typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi');
        return (state.sort.descending ? -order : order) || a.unitCode.localeCompare(b.unitCode);
      });
    tbody.replaceChildren(
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-unit': row.unitCode },
          h('td', {}, row.unitCode),
          h('th', { scope: 'row' }, h('a', { href: `#/units/${row.unitCode}` }, row.unitName)),
          columns.map((figure) => {
            const value = valueAt(row.figures, figure.path);
            return h(
              'td',
              { class: 'num', 'data-figure': figure.key, 'data-value': value === null ? '' : String(value) },
              formatFigure(value, figure.format),
            );
          }),
        ),
      ),
    );
    count.textContent = t('shown', { n: rows.length });
    for (const [key, cell] of headerCells)
      cell.setAttribute(
        'aria-sort',
        key === state.sort.key ? (state.sort.descending ? 'descending' : 'ascending') : 'none',
      );
  };

  const sortHeader = (key: string, label: string, numeric: boolean) => {
    const cell = h(
      'th',
      { scope: 'col', class: numeric ? 'num' : null },
      h(
        'button',
        {
          type: 'button',
          'data-sort': key,
          onclick: () => {
            state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : numeric };
            fill();
          },
        },
        label,
      ),
    );
    headerCells.set(key, cell);
    return cell;
  };

  const table = h(
    'table',
    { 'data-testid': 'units-table' },
    h('caption', {}, t('units')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        sortHeader('unitCode', t('code'), false),
        sortHeader('unitName', t('unit'), false),
        columns.map((figure) => sortHeader(figure.key, figure.label[state.language], true)),
      ),
    ),
    tbody,
  );
  const controls = h(
    'div',
    { class: 'controls' },
    h(
      'label',
      {},
      t('search'),
      h('input', {
        type: 'search',
        value: state.search,
        'data-testid': 'unit-search',
        oninput: (event: Event) => {
          state.search = (event.target as HTMLInputElement).value;
          fill();
        },
      }),
    ),
    h(
      'label',
      {},
      t('filter'),
      h(
        'select',
        {
          'data-testid': 'unit-type',
          onchange: (event: Event) => {
            state.unitType = (event.target as HTMLSelectElement).value as typeof state.unitType;
            fill();
          },
        },
        (['all', 'ward', 'commune'] as const).map((value) =>
          h(
            'option',
            { value, selected: state.unitType === value },
            t(value === 'all' ? 'all' : value === 'ward' ? 'wards' : 'communes'),
          ),
        ),
      ),
    ),
    count,
  );
  fill();
  return { nodes: [h('h2', {}, t('units')), controls, h('div', { class: 'table-wrap' }, table)] };
}

async function overdueView(): Promise<ViewContent> {
  const [units, overdue] = await Promise.all([
    api<{ units: UnitRow[] }>(`/reports/units?${periodQuery()}`),
    api<{
      dossiers: {
        dossierId: string;
        unitCode: string;
        unitName: string;
        procedureCode: string | null;
        status: string;
        dueAt: string;
        hoursOverdue: number;
      }[];
    }>('/reports/overdue/dossiers?limit=200'),
  ]);
  const columns = state.catalogue.filter((figure) => figure.overdue);
  const total = (row: UnitRow) =>
    columns.reduce((sum, figure) => sum + (valueAt(row.figures, figure.path) ?? 0), 0);
  const rows = units.units.filter((row) => total(row) > 0).sort((a, b) => total(b) - total(a));
  return {
    nodes: [
      h('h2', {}, t('overdueTitle')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { 'data-testid': 'overdue-units' },
          h('caption', {}, t('overdueByUnit')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, t('unit')),
              columns.map((figure) => h('th', { scope: 'col', class: 'num' }, figure.label[state.language])),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((row) =>
              h(
                'tr',
                { 'data-unit': row.unitCode },
                h('th', { scope: 'row' }, h('a', { href: `#/units/${row.unitCode}` }, row.unitName)),
                columns.map((figure) =>
                  h('td', { class: 'num' }, formatFigure(valueAt(row.figures, figure.path), figure.format)),
                ),
              ),
            ),
          ),
        ),
      ),
      overdue.dossiers.length === 0
        ? h('p', {}, t('nothingOverdue'))
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { 'data-testid': 'overdue-dossiers' },
              h('caption', {}, t('overdueDossiers')),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  (['dossier', 'unit', 'procedure', 'status', 'dueAt', 'hoursOverdue'] as const).map((key) =>
                    h('th', { scope: 'col', class: key === 'hoursOverdue' ? 'num' : null }, t(key)),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                overdue.dossiers.map((dossier) =>
                  h(
                    'tr',
                    { 'data-unit': dossier.unitCode },
                    h('td', {}, dossier.dossierId),
                    h('td', {}, dossier.unitName),
                    h('td', {}, dossier.procedureCode ?? '—'),
                    h('td', {}, dossier.status),
                    h('td', {}, formatTime(dossier.dueAt, state.language)),
                    h('td', { class: 'num' }, formatFigure(dossier.hoursOverdue, 'count')),
                  ),
                ),
              ),
            ),
          ),
    ],
  };
}

interface PipelineHealth {
  measuredAt: string;
  broker: { up: boolean; latencyMs: number | null; problem: string | null };
  services: {
    name: string;
    ready: boolean | null;
    checks: Record<string, 'up' | 'down'>;
    outbox: { backlog: number; oldestAgeSeconds: number } | null;
    consumerLag: { group: string; topic: string; partition: number; lag: number }[];
    problems: string[];
  }[];
  deadLetters: { group: string; topic: string; count: number | null; replayable: boolean }[];
  rebuilds: {
    generation: number;
    status: string;
    createdAt: string;
    switchedAt: string | null;
    eventsApplied: number | null;
    current: boolean;
  }[];
}

function upDown(value: boolean | null | undefined): HTMLElement {
  if (value === null || value === undefined) return h('span', {}, t('unknown'));
  return h('span', { class: value ? 'status-up' : 'status-down' }, t(value ? 'up' : 'down'));
}

function simpleTable(
  testId: string,
  caption: string,
  headers: string[],
  rows: (Node | string)[][],
  numeric: number[] = [],
) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testId },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((header, i) =>
            h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, header),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((cell, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, cell)),
          ),
        ),
      ),
    ),
  );
}

async function pipelineView(): Promise<ViewContent> {
  const [health] = await Promise.all([
    api<PipelineHealth>('/ops/pipeline'),
    // The freshness stamp of this view too.
    api(`/reports/indicators?from=${hanoiToday()}&to=${hanoiToday()}`),
  ]);
  const canReplay = Boolean(state.session?.roles.includes('city-admin'));
  const letters = h('section', { 'data-testid': 'dead-letter-list', 'aria-live': 'polite' });

  const showLetters = async (group: string) => {
    letters.replaceChildren(h('p', {}, t('loading')));
    const body = await api<{
      group: string;
      replayable: boolean;
      deadLetters: {
        offset: string;
        eventType?: string;
        reason: string;
        message: string;
        failedAt: string;
      }[];
    }>(`/ops/dead-letters/${encodeURIComponent(group)}`);
    letters.replaceChildren(
      h('h3', {}, `${t('deadLetters')}: ${group}`),
      canReplay ? '' : h('p', {}, t('replayOnlyAdmin')),
      simpleTable(
        'dead-letters',
        `${group}.dlq`,
        [t('offset'), t('eventType'), t('reason'), t('failedAt'), ''],
        body.deadLetters.map((letter) => {
          const outcome = h('span', { 'data-testid': `replay-outcome-${letter.offset}` });
          const button = h(
            'button',
            {
              type: 'button',
              class: 'action',
              'data-replay': letter.offset,
              disabled: !(canReplay && body.replayable),
              onclick: async () => {
                button.setAttribute('disabled', '');
                const result = await api<{ results: { offset: string; outcome: string }[] }>(
                  `/ops/dead-letters/${encodeURIComponent(group)}/replay`,
                  {
                    method: 'POST',
                    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
                    body: JSON.stringify({ offsets: [letter.offset] }),
                  },
                ).catch((error: unknown) => ({
                  results: [{ offset: letter.offset, outcome: String(error) }],
                }));
                outcome.textContent = t('replayed', { outcome: result.results[0]?.outcome ?? '—' });
              },
            },
            t('replay'),
          );
          return [
            letter.offset,
            letter.eventType ?? '—',
            `${letter.reason}: ${letter.message}`,
            formatTime(letter.failedAt, state.language),
            h('span', {}, button, ' ', outcome),
          ];
        }),
      ),
    );
  };

  return {
    nodes: [
      h('h2', {}, t('pipelineTitle')),
      h(
        'p',
        { 'data-testid': 'broker' },
        `${t('broker')}: `,
        upDown(health.broker.up),
        health.broker.latencyMs === null ? '' : ` (${health.broker.latencyMs} ms)`,
        health.broker.problem ? ` — ${health.broker.problem}` : '',
      ),
      simpleTable(
        'services',
        t('services'),
        [
          t('service'),
          t('ready'),
          t('database'),
          'Kafka',
          t('outboxBacklog'),
          t('outboxOldest'),
          t('problems'),
        ],
        health.services.map((service) => [
          service.name,
          upDown(service.ready),
          upDown(service.checks.database === undefined ? null : service.checks.database === 'up'),
          upDown(service.checks.kafka === undefined ? null : service.checks.kafka === 'up'),
          service.outbox ? formatFigure(service.outbox.backlog, 'count') : '—',
          service.outbox ? formatFigure(service.outbox.oldestAgeSeconds, 'minutes') : '—',
          service.problems.join('; '),
        ]),
        [4, 5],
      ),
      simpleTable(
        'consumer-lag',
        t('consumerLag'),
        [t('service'), t('group'), t('topic'), t('partition'), t('lag')],
        health.services.flatMap((service) =>
          service.consumerLag.map((lag) => [
            service.name,
            lag.group,
            lag.topic,
            String(lag.partition),
            formatFigure(lag.lag, 'count'),
          ]),
        ),
        [3, 4],
      ),
      simpleTable(
        'dead-letter-groups',
        t('deadLetters'),
        [t('group'), t('topic'), t('count'), ''],
        health.deadLetters.map((group) => [
          group.group,
          group.topic,
          group.count === null ? '—' : formatFigure(group.count, 'count'),
          h(
            'button',
            {
              type: 'button',
              class: 'action',
              'data-show-dead-letters': group.group,
              onclick: () => void showLetters(group.group),
            },
            t('show'),
          ),
        ]),
        [2],
      ),
      letters,
      simpleTable(
        'rebuilds',
        t('rebuilds'),
        [t('generation'), t('status'), t('createdAt'), t('switchedAt'), t('eventsApplied')],
        health.rebuilds.map((rebuild) => [
          `${rebuild.generation}${rebuild.current ? ` ${t('current')}` : ''}`,
          rebuild.status,
          formatTime(rebuild.createdAt, state.language),
          formatTime(rebuild.switchedAt, state.language),
          rebuild.eventsApplied === null ? '—' : formatFigure(rebuild.eventsApplied, 'count'),
        ]),
        [4],
      ),
    ],
  };
}

// ---------- start ----------

function showSignIn(message?: string): void {
  document.documentElement.lang = state.language;
  root.replaceChildren(
    h(
      'main',
      { class: 'signin' },
      h('h1', {}, t('title')),
      message ? h('p', { class: 'error', role: 'alert' }, message) : '',
      h('p', {}, t('signInPrompt')),
      h(
        'button',
        {
          type: 'button',
          class: 'action',
          'data-testid': 'sign-in',
          onclick: () => void beginSignIn(location.hash),
        },
        t('signIn'),
      ),
    ),
  );
}

async function start(): Promise<void> {
  let returnTo: string | null = null;
  try {
    returnTo = await completeSignIn();
  } catch {
    showSignIn(t('signInFailed'));
    return;
  }
  state.session = currentSession();
  if (!state.session) {
    showSignIn();
    return;
  }
  // replaceState: no hashchange event, so the view is rendered once, below.
  if (returnTo) history.replaceState(null, '', returnTo.startsWith('#') ? returnTo : `#${returnTo}`);
  state.catalogue = ((await (await fetch('/dashboard/catalogue')).json()) as { figures: Figure[] }).figures;
  if (!isCityRole() && route().length === 0 && state.session.units.length === 1)
    history.replaceState(null, '', `#/units/${state.session.units[0]}`);
  // Listen before the first render: a person (or a link) may change the hash while the first view
  // is still loading; renderView's renderId lets the newest route win.
  window.addEventListener('hashchange', () => {
    renderFrame();
    void renderView();
  });
  renderFrame();
  await renderView();
}

void start();
