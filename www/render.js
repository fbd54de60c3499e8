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

function identifier(label, id) {
  if (!id) return null;
  return el('span', { class: 'id' }, `${label} `, id.url ? linkOut(id.url, id.text) : id.text);
}

/// One author: the name, an ORCID link, and affiliations and email shown on demand.
function author(a) {
  const orcid = a.orcid?.url ? linkOut(a.orcid.url, 'iD') : null;
  if (orcid) orcid.classList?.add('orcid');
  if (!a.affiliations.length && !a.email) return el('li', { class: 'author' }, a.name, orcid ? ' ' : null, orcid);
  return el('li', { class: 'author' }, el('details', {},
    el('summary', {}, a.name, orcid ? ' ' : null, orcid),
    el('ul', { class: 'affiliations' },
      a.affiliations.map((x) => el('li', { text: x })),
      a.email ? el('li', { class: 'email', text: a.email }) : null)));
}

/// The citation card: title, authors, where it appeared, identifiers, keywords, licence, funding.
export function citationCard(view, actions) {
  const card = view.card;
  const title = card.title ?? view.summary.title ?? '(untitled)';
  // When the text has a title passage, that (highlighted) passage is the heading.
  const titled = view.blocks.some((b) => b.kind === 'title');
  const where = [card.source, card.year ? `(${card.year})` : null].filter(Boolean).join(' ');
  const ids = [identifier('DOI', card.doi), identifier('PMID', card.pmid), identifier('PMCID', card.pmcid),
    card.issn ? el('span', { class: 'id', text: `ISSN ${card.issn}` }) : null].filter(Boolean);
  const facts = [];
  if (card.publisher) facts.push(['Publisher', card.publisher]);
  if (card.keywords.length) facts.push(['Keywords', el('span', {}, card.keywords.map((k) => el('span', { class: 'keyword', text: k })))]);
  if (card.license) facts.push(['Licence', card.license.url ? linkOut(card.license.url, card.license.text) : card.license.text]);
  if (card.funding.length) facts.push(['Funding', el('ul', { class: 'funding' }, card.funding.map((f) => el('li', { text: f })))]);
  return el('header', { class: 'citation' },
    titled ? null : el('h2', { class: 'doc-title', text: title }),
    card.authors.length ? el('ul', { class: 'authors', 'aria-label': 'Authors' }, card.authors.map(author)) : null,
    where ? el('p', { class: 'journal', text: where }) : null,
    ids.length ? el('p', { class: 'ids' }, ids) : null,
    facts.length ? el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)])) : null,
    actions ?? null,
    el('p', { class: 'source', text: `${view.summary.file} · ${view.summary.format}` }));
}

/// The references the document numbers, each a small card; one whose DOI is a loaded document
/// links to it.
export function referenceList(view, onOpen) {
  if (!view.references.length) return null;
  return el('section', { class: 'references' },
    el('h3', { text: `References (${view.references.length})` }),
    el('ol', { class: 'reference-list' }, view.references.map((r) => {
      const c = r.card;
      const who = c.authors.map((a) => a.name);
      const authors = who.length > 6 ? `${who.slice(0, 6).join(', ')}, et al.` : who.join(', ');
      return el('li', { class: 'reference', value: r.number, 'data-number': r.number },
        c.title ? el('span', { class: 'ref-title', text: c.title }) : el('span', { class: 'ref-raw', text: r.text ?? '' }),
        authors ? el('span', { class: 'ref-authors', text: authors }) : null,
        c.source || c.year ? el('span', { class: 'ref-source', text: [c.source, c.year].filter(Boolean).join(', ') }) : null,
        el('span', { class: 'ref-links' },
          c.doi ? identifier('DOI', c.doi) : null,
          c.pmid ? identifier('PMID', c.pmid) : null,
          r.document != null ? el('button', { type: 'button', class: 'open-doc', onclick: () => onOpen(r.document), text: 'Open in litview' }) : null));
    })));
}

/// The legend: one button per type with its count in this document (and in the corpus, when
/// known); pressing it hides or shows the type, and its "only" button shows that type alone.
export function legend(view, hidden, corpusCounts, onToggle, onOnly) {
  if (!view.legend.length) return null;
  return el('div', { class: 'legend', role: 'group', 'aria-label': 'Entity types: press to hide or show' },
    view.legend.map((entry) => {
      const off = hidden.has(entry.type);
      const corpus = corpusCounts?.[entry.type];
      const button = el('button', {
        type: 'button', class: `legend-item${off ? ' off' : ''}`, 'aria-pressed': String(!off),
        'data-type': entry.type, title: off ? `Show ${entry.type}` : `Hide ${entry.type}`,
        onclick: () => onToggle(entry.type),
      }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), el('span', { class: 'type', text: entry.type }),
      el('span', { class: 'count', text: String(entry.count) }),
      corpus != null && corpus !== entry.count ? el('span', { class: 'corpus-count', title: 'in all loaded documents', text: `/ ${corpus}` }) : null);
      button.style.setProperty('--colour', colourVar(entry.colour));
      button.dataset.pattern = entry.pattern;
      const only = el('button', { type: 'button', class: 'legend-only', 'data-only': entry.type, title: `Show only ${entry.type}`, 'aria-label': `Show only ${entry.type}`, text: 'only', onclick: () => onOnly(entry.type) });
      return el('span', { class: 'legend-entry' }, button, only);
    }));
}

/// The highlighted text: one element per segment of the core's sweep. A segment covered by
/// entities carries one underline bar per entity, in the entity's lane, so nested and
/// overlapping mentions all stay visible.
// A document with more marked segments than this (a full-text article, say) draws each
// passage's marks only when the passage comes near the screen. Until then the passage is its
// plain text, so the words are all there at once (and the browser's find works), but the
// thousands of mark elements of a long article are made only where someone reads.
const LAZY_SEGMENTS = 1500;

export function highlightedText(view, hidden, showInferred = true) {
  const container = el('div', { class: 'doc-text' });
  container.append(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
  container.firstChild.classList.add('arcs');
  container.firstChild.setAttribute('aria-hidden', 'true');
  const startsAt = new Map();
  view.entities.forEach((entity, i) => {
    for (const [start] of entity.spans) if (!startsAt.has(start)) startsAt.set(start, i);
  });
  // Lines leave room for as many underline lanes as the deepest nesting needs.
  container.style.setProperty('--max-depth', Math.max(1, ...view.entities.map((e) => e.lane + 1)));

  const fill = (node, block) => {
    for (const segment of block.segments) {
      const shown = segment.entities.filter((i) => !hidden.has(view.entities[i].type) && (showInferred || !view.entities[i].inferred));
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
        const bar = el('span', { class: `bar${entity.inferred ? ' inferred' : ''}`, 'data-pattern': entity.pattern });
        bar.style.setProperty('--lane', entity.lane);
        bar.style.setProperty('--colour', colourVar(entity.colour));
        bars.append(bar);
      }
      span.append(bars);
      node.append(span);
    }
  };

  // Passages with marks: a long document draws the first ones at once, up to a budget, so
  // what opens on screen is complete; the others wait until they come near the screen.
  const markedIn = view.blocks.map((b) => b.segments.reduce((m, s) => m + (s.entities.length ? 1 : 0), 0));
  const lazy = markedIn.reduce((a, b) => a + b, 0) > LAZY_SEGMENTS && view.blocks.length > 1 && typeof IntersectionObserver === 'function';
  let budget = LAZY_SEGMENTS / 4;
  const nodes = view.blocks.map((block, i) => {
    const tag = block.kind === 'title' ? 'h2' : 'p';
    const node = el(tag, { class: `passage passage-${block.kind.replace(/[^a-z0-9_-]/gi, '')}`, 'data-kind': block.kind });
    if (lazy && budget <= 0) {
      node.classList.add('pending');
      node.append(document.createTextNode(block.segments.map((s) => s.text).join('')));
    } else {
      fill(node, block);
      budget -= markedIn[i];
    }
    return node;
  });
  container.append(...nodes);

  // What the page calls before it looks for a mark: draws the passage that holds it.
  container.drawEntity = () => {};
  container.drawAll = () => {};
  container.drawAround = () => {};
  container.drawEdge = () => {};
  container.dispose = () => {};
  if (lazy) {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) draw(nodes.indexOf(entry.target));
    }, { rootMargin: '1500px 0px' });
    const draw = (i) => {
      const node = nodes[i];
      if (!node?.classList.contains('pending')) return;
      observer.unobserve(node);
      node.classList.remove('pending');
      node.replaceChildren();
      fill(node, view.blocks[i]);
      container.dispatchEvent(new Event('drawn'));
    };
    for (const node of nodes) if (node.classList.contains('pending')) observer.observe(node);
    const blockOf = new Map();
    view.blocks.forEach((block, i) => {
      for (const segment of block.segments) for (const e of segment.entities) if (!blockOf.has(e)) blockOf.set(e, i);
    });
    const withMarks = markedIn.flatMap((n, i) => (n ? [i] : []));
    container.drawEntity = (entity) => draw(blockOf.get(entity));
    container.drawAll = () => nodes.forEach((_, i) => draw(i));
    // For stepping through marks by keyboard: the nearest passages with marks on either side
    // of the focused one, and the first or last passage with marks for wrapping around.
    container.drawAround = (node) => {
      const i = nodes.indexOf(node?.closest?.('.passage'));
      if (i < 0) return;
      draw(withMarks.findLast((j) => j < i));
      draw(withMarks.find((j) => j > i));
    };
    container.drawEdge = (step) => draw(step > 0 ? withMarks[0] : withMarks.at(-1));
    container.dispose = () => observer.disconnect();
  }
  return container;
}

/// The entity card: every entity covering a segment, with its type, subtype and concept ids,
/// each linked to its registry where the core recognised the id, and a way to step through all
/// mentions of the concept in this document.
export function entityCard(view, indices, onStep) {
  return indices.map((i) => {
    const e = view.entities[i];
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.setProperty('--colour', colourVar(e.colour));
    const concepts = e.concepts.length
      ? el('ul', { class: 'concepts' }, e.concepts.map((c) => {
        const mentions = view.entities.map((x, j) => [x, j]).filter(([x]) => x.concepts.some((y) => y.id === c.id)).map(([, j]) => j);
        const at = mentions.indexOf(i);
        return el('li', {},
          c.url ? linkOut(c.url, c.id) : el('code', { text: c.id }),
          c.registry ? el('span', { class: 'registry', text: ` ${c.registry}` }) : null,
          mentions.length > 1 ? el('span', { class: 'mentions' },
            el('button', { type: 'button', class: 'step', 'aria-label': 'previous mention of this concept', text: '‹', onclick: () => onStep(mentions[(at - 1 + mentions.length) % mentions.length]) }),
            el('span', { class: 'mention-count', text: `mention ${at + 1} of ${mentions.length}` }),
            el('button', { type: 'button', class: 'step', 'aria-label': 'next mention of this concept', text: '›', onclick: () => onStep(mentions[(at + 1) % mentions.length]) })) : null);
      }))
      : el('p', { class: 'no-concept', text: 'no concept id' });
    const infons = Object.entries(e.infons ?? {});
    return el('section', { class: 'card-entity', 'data-entity': i },
      el('p', { class: 'card-head' }, swatch, el('strong', { class: 'card-type', text: e.type }),
        e.inferred ? el('span', { class: 'tag', text: 'inferred' }) : null),
      el('p', { class: 'card-mention', text: `“${e.text}”` }),
      concepts,
      infons.length ? el('dl', { class: 'infons' }, infons.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])) : null);
  });
}

/// Relations as a table: type, arguments with the names of their mentions, and what else the
/// file says (novelty, scores). Column headers sort; a row selects the relation.
export function relationsTable(view, sort, onSort, selected, onSelect) {
  if (!view.relations.length) return null;
  const extraKeys = [...new Set(view.relations.flatMap((r) => Object.keys(r.infons ?? {})))];
  const maxArgs = Math.max(...view.relations.map((r) => r.args.length));
  const columns = [
    { label: 'Relation', key: (r) => r.type },
    ...Array.from({ length: maxArgs }, (_, i) => ({ label: view.relations[0].args[i]?.role ?? `argument ${i + 1}`, key: (r) => r.args[i]?.name ?? r.args[i]?.target ?? '' })),
    ...extraKeys.map((k) => ({ label: k, key: (r) => r.infons?.[k] ?? '' })),
  ];
  const order = view.relations.map((r, i) => i);
  if (sort) {
    const key = columns[sort.column]?.key;
    if (key) order.sort((a, b) => sort.direction * String(key(view.relations[a])).localeCompare(String(key(view.relations[b])), undefined, { numeric: true }));
  }
  const head = el('tr', {}, columns.map((c, i) => el('th', {
    scope: 'col', 'aria-sort': sort?.column === i ? (sort.direction > 0 ? 'ascending' : 'descending') : 'none',
  }, el('button', { type: 'button', class: 'sort', text: c.label, onclick: () => onSort(i) }))));
  const rows = order.map((index) => {
    const r = view.relations[index];
    return el('tr', {
      class: index === selected ? 'selected' : null, tabindex: 0, 'data-relation': index,
      onclick: () => onSelect(index), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(index); } },
    },
    el('td', { text: r.type }),
    Array.from({ length: maxArgs }, (_, i) => {
      const arg = r.args[i];
      if (!arg) return el('td');
      return el('td', {}, arg.name ? el('span', { class: 'arg-name', text: arg.name }) : null,
        el('code', { class: 'arg-id', text: arg.target }));
    }),
    extraKeys.map((k) => el('td', { text: r.infons?.[k] ?? '' })));
  });
  return el('section', { class: 'relations' },
    el('h3', { text: `Relations (${view.relations.length})` }),
    el('table', {}, el('thead', {}, head), el('tbody', {}, rows)));
}

/// Lines between the mentions a relation joins, drawn only for the selected relation or entity
/// so that dense documents stay readable.
export function drawArcs(container, pairs) {
  const svg = container.querySelector('svg.arcs');
  if (!svg) return;
  svg.replaceChildren();
  // Nothing to measure: measuring makes the browser lay the page out before the frame does.
  if (!pairs.length) return;
  const box = container.getBoundingClientRect();
  svg.setAttribute('width', box.width);
  svg.setAttribute('height', box.height);
  const NS = 'http://www.w3.org/2000/svg';
  const centre = (entity) => {
    container.drawEntity?.(entity);
    const node = container.querySelector(`.seg.ent[data-entities~="${entity}"]`);
    if (!node) return null;
    const r = node.getBoundingClientRect();
    return { x: r.left + r.width / 2 - box.left, y: r.top - box.top };
  };
  for (const { from, to, label } of pairs) {
    const a = centre(from);
    const b = centre(to);
    if (!a || !b) continue;
    const lift = Math.max(18, Math.min(60, Math.abs(b.x - a.x) / 4 + Math.abs(b.y - a.y) / 3));
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', `M ${a.x} ${a.y} C ${a.x} ${a.y - lift}, ${b.x} ${b.y - lift}, ${b.x} ${b.y}`);
    path.setAttribute('class', 'arc');
    const text = document.createElementNS(NS, 'text');
    text.setAttribute('x', (a.x + b.x) / 2);
    text.setAttribute('y', Math.min(a.y, b.y) - lift * 0.75);
    text.setAttribute('class', 'arc-label');
    text.textContent = label;
    svg.append(path, text);
  }
}

/// A bar chart of entity types across the corpus, drawn as SVG by the page: one bar per type,
/// its inferred part lighter; pressing a bar filters the list to documents with that type.
export function typeChart(types, onPick) {
  const NS = 'http://www.w3.org/2000/svg';
  const rows = [...types].sort((a, b) => b.mentions - a.mentions).slice(0, 30);
  const max = Math.max(1, ...rows.map((t) => t.mentions));
  const rowHeight = 22;
  const labelWidth = 190;
  const width = 640;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${rows.length * rowHeight + 4}`);
  svg.setAttribute('class', 'type-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Mentions per entity type: ${rows.map((t) => `${t.type} ${t.mentions}`).join(', ')}`);
  rows.forEach((t, i) => {
    const y = i * rowHeight + 2;
    const group = document.createElementNS(NS, 'g');
    group.setAttribute('class', 'bar-row');
    group.setAttribute('tabindex', '0');
    group.setAttribute('data-type', t.type);
    group.addEventListener('click', () => onPick(t.type));
    group.addEventListener('keydown', (e) => { if (e.key === 'Enter') onPick(t.type); });
    // The whole row takes the click, not only the ink of a short bar.
    const hit = document.createElementNS(NS, 'rect');
    hit.setAttribute('x', 0);
    hit.setAttribute('y', y);
    hit.setAttribute('width', width);
    hit.setAttribute('height', rowHeight);
    hit.setAttribute('class', 'bar-hit');
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', labelWidth - 8);
    label.setAttribute('y', y + 15);
    label.setAttribute('class', 'bar-label');
    label.textContent = t.type;
    const full = (width - labelWidth - 70) * (t.mentions / max);
    const source = full * ((t.mentions - t.inferred) / Math.max(1, t.mentions));
    const bar = document.createElementNS(NS, 'rect');
    bar.setAttribute('x', labelWidth);
    bar.setAttribute('y', y + 3);
    bar.setAttribute('width', Math.max(1, source));
    bar.setAttribute('height', rowHeight - 6);
    bar.setAttribute('class', 'bar-source');
    const extra = document.createElementNS(NS, 'rect');
    extra.setAttribute('x', labelWidth + source);
    extra.setAttribute('y', y + 3);
    extra.setAttribute('width', Math.max(0, full - source));
    extra.setAttribute('height', rowHeight - 6);
    extra.setAttribute('class', 'bar-inferred');
    const count = document.createElementNS(NS, 'text');
    count.setAttribute('x', labelWidth + full + 6);
    count.setAttribute('y', y + 15);
    count.setAttribute('class', 'bar-count');
    count.textContent = String(t.mentions);
    group.append(hit, label, bar, extra, count);
    svg.append(group);
  });
  return svg;
}
