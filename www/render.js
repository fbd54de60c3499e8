// Builds DOM from the views the core computes. Every string from a file goes in as text
// (textContent, createTextNode); links take only the https URLs the core built from validated ids.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/// A link out, only to https; opens in a new tab without giving the target a handle on this page.
export function linkOut(url, label) {
  if (typeof url !== 'string' || !url.startsWith('https://')) return el('span', { text: label });
  return el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: label });
}

function colourVar(colour) {
  return `var(--c${colour})`;
}

function names(authors) {
  return (authors ?? []).map((a) => a.literal ?? [a.given, a.family].filter(Boolean).join(' ')).filter(Boolean);
}

function year(citation) {
  return citation.issued?.['date-parts']?.[0]?.[0];
}

/// The citation card: title, authors, journal line, identifiers.
export function citationCard(view) {
  const c = view.citation ?? {};
  const title = c.title ?? view.summary.title ?? '(untitled)';
  const journal = [
    c['container-title'],
    [c.volume, c.issue ? `(${c.issue})` : null].filter(Boolean).join(''),
    c.page,
    year(c),
  ].filter(Boolean).join(', ');
  const ids = [];
  if (c.DOI) ids.push(el('span', { class: 'id' }, 'DOI ', linkOut(view.links.doi, c.DOI)));
  if (c.PMID) ids.push(el('span', { class: 'id' }, 'PMID ', linkOut(view.links.pubmed, c.PMID)));
  if (c.PMCID) ids.push(el('span', { class: 'id' }, 'PMCID ', linkOut(view.links.pmc, c.PMCID)));
  if (c.ISSN) ids.push(el('span', { class: 'id', text: `ISSN ${c.ISSN}` }));
  const authors = names(c.author);
  // When the text has a title passage, that (highlighted) passage is the heading.
  const titled = view.blocks.some((b) => b.kind === 'title');
  return el('header', { class: 'citation' },
    titled ? null : el('h2', { class: 'doc-title', text: title }),
    authors.length ? el('p', { class: 'authors', text: authors.join(', ') }) : null,
    journal ? el('p', { class: 'journal', text: journal }) : null,
    ids.length ? el('p', { class: 'ids' }, ids) : null,
    el('p', { class: 'source', text: `${view.summary.file} · ${view.summary.format}` }));
}

/// The legend: one button per type with its count; pressing it hides or shows the type.
export function legend(view, hidden, onToggle) {
  if (!view.legend.length) return null;
  return el('div', { class: 'legend', role: 'group', 'aria-label': 'Entity types' },
    view.legend.map((entry) => {
      const off = hidden.has(entry.type);
      const button = el('button', {
        type: 'button', class: `legend-item${off ? ' off' : ''}`, 'aria-pressed': String(!off),
        'data-type': entry.type, title: off ? `Show ${entry.type}` : `Hide ${entry.type}`,
        onclick: () => onToggle(entry.type),
      }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), el('span', { class: 'type', text: entry.type }),
      el('span', { class: 'count', text: String(entry.count) }));
      button.style.setProperty('--colour', colourVar(entry.colour));
      return button;
    }));
}

/// The highlighted text: one element per segment of the core's sweep. A segment covered by
/// entities carries one underline bar per entity, in the entity's lane, so nested and
/// overlapping mentions all stay visible.
export function highlightedText(view, hidden) {
  const container = el('div', { class: 'doc-text' });
  const startsAt = new Map();
  view.entities.forEach((entity, i) => {
    for (const [start] of entity.spans) if (!startsAt.has(start)) startsAt.set(start, i);
  });
  for (const block of view.blocks) {
    const tag = block.kind === 'title' ? 'h2' : 'p';
    const node = el(tag, { class: `passage passage-${block.kind.replace(/[^a-z0-9_-]/gi, '')}`, 'data-kind': block.kind });
    for (const segment of block.segments) {
      const shown = segment.entities.filter((i) => !hidden.has(view.entities[i].type));
      if (!shown.length) {
        node.append(document.createTextNode(segment.text));
        continue;
      }
      const depth = Math.max(...shown.map((i) => view.entities[i].lane + 1));
      const inner = view.entities[shown[shown.length - 1]];
      const span = el('span', {
        class: `seg ent${shown.some((i) => view.entities[i].inferred) ? ' inferred' : ''}`,
        'data-entities': shown.join(' '),
        'data-start': segment.start,
        'data-end': segment.end,
        'data-type': inner.type,
      }, segment.text);
      span.style.setProperty('--depth', depth);
      span.style.setProperty('--tint', colourVar(inner.colour));
      if (startsAt.has(segment.start)) {
        span.tabIndex = 0;
        span.setAttribute('aria-label', shown.map((i) => `${view.entities[i].text}: ${view.entities[i].type}`).join('; '));
      }
      const bars = el('span', { class: 'bars', 'aria-hidden': 'true' });
      for (const i of shown) {
        const entity = view.entities[i];
        const bar = el('span', { class: `bar${entity.inferred ? ' inferred' : ''}` });
        bar.style.setProperty('--lane', entity.lane);
        bar.style.setProperty('--colour', colourVar(entity.colour));
        bars.append(bar);
      }
      span.append(bars);
      node.append(span);
    }
    container.append(node);
  }
  return container;
}

/// The entity card: every entity covering a segment, with its type and concept ids, each linked
/// to its registry where the core recognised the id.
export function entityCard(view, indices) {
  return indices.map((i) => {
    const e = view.entities[i];
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.setProperty('--colour', colourVar(e.colour));
    const concepts = e.concepts.length
      ? el('ul', { class: 'concepts' }, e.concepts.map((c) => el('li', {},
        c.url ? linkOut(c.url, c.id) : el('code', { text: c.id }),
        c.registry ? el('span', { class: 'registry', text: ` ${c.registry}` }) : null)))
      : el('p', { class: 'no-concept', text: 'no concept id' });
    const infons = Object.entries(e.infons ?? {});
    return el('section', { class: 'card-entity' },
      el('p', { class: 'card-head' }, swatch, el('strong', { class: 'card-type', text: e.type }),
        e.inferred ? el('span', { class: 'tag', text: 'inferred' }) : null),
      el('p', { class: 'card-mention', text: `“${e.text}”` }),
      concepts,
      infons.length ? el('dl', { class: 'infons' }, infons.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])) : null);
  });
}

/// Relations as a table: type, arguments with the names of their mentions, and what else the
/// file says (novelty, scores).
export function relationsTable(view) {
  if (!view.relations.length) return null;
  const extraKeys = [...new Set(view.relations.flatMap((r) => Object.keys(r.infons ?? {})))];
  const maxArgs = Math.max(...view.relations.map((r) => r.args.length));
  const head = el('tr', {}, el('th', { scope: 'col', text: 'Relation' }),
    Array.from({ length: maxArgs }, (_, i) => el('th', { scope: 'col', text: view.relations[0].args[i]?.role ?? `argument ${i + 1}` })),
    extraKeys.map((k) => el('th', { scope: 'col', text: k })));
  const rows = view.relations.map((r) => el('tr', {},
    el('td', { text: r.type }),
    Array.from({ length: maxArgs }, (_, i) => {
      const arg = r.args[i];
      if (!arg) return el('td');
      return el('td', {}, arg.name ? el('span', { class: 'arg-name', text: arg.name }) : null,
        el('code', { class: 'arg-id', text: arg.target }));
    }),
    extraKeys.map((k) => el('td', { text: r.infons?.[k] ?? '' }))));
  return el('section', { class: 'relations' },
    el('h3', { text: `Relations (${view.relations.length})` }),
    el('table', {}, el('thead', {}, head), el('tbody', {}, rows)));
}
