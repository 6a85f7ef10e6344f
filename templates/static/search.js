// The search page: Pagefind's JS API with our own tokens, an accessible form, filters and results.
// Without JavaScript this file never runs and the page's <noscript> text points to browsing instead.
import { fold as toSimplified, placedTokens, positions, queryTokens, queryPieces, queryWords, spell } from "./search-tokens.js";

const PAGE_SIZE = 10;
const FILTER_ORDER = ["类型", "发布机构", "年份", "主题", "二级主题", "有效性", "公文种类"];
const OPEN_FILTERS = new Set(["类型", "年份", "有效性"]);

const app = document.getElementById("search-app");
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const sortSelect = document.getElementById("search-sort");
const filterBox = document.getElementById("search-filters");
const clearButton = document.getElementById("search-clear");
const suggestBox = document.getElementById("search-suggest");
const optionList = document.getElementById("search-options");

const state = { query: "", filters: {}, sort: "relevance", shown: 0, results: [] };
const SYNONYMS = synonymMap(JSON.parse(app?.dataset.words || "[]"));
const NAMES = JSON.parse(app?.dataset.names || "[]");
let pagefind;
let allFilters = {};
let searchId = 0;

function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.query = params.get("q") || "";
  state.sort = params.get("sort") || "relevance";
  state.filters = {};
  for (const name of FILTER_ORDER) {
    const values = params.getAll(name);
    if (values.length) state.filters[name] = values;
  }
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  if (state.sort !== "relevance") params.set("sort", state.sort);
  for (const [name, values] of Object.entries(state.filters)) for (const v of values) params.append(name, v);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

/** Phrase check: a word's tokens (placedTokens) must sit in the page at the distances the query
 *  has them (positions count our tokens and clause breaks only). */
function isPhraseMatch(result, placed) {
  return placed.length < 2 || sideBySide(new Set(result.words), placed);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

/** What to mark in titles and excerpts: the query's parts and each of its words on its own, so
 *  words a page holds apart are each marked, and their synonyms; longest first. */
function markedWords(query) {
  return [...new Set([...queryPieces(query), ...queryWords(query), ...knownWords(query).flatMap(alternatives)])]
    .filter((piece) => piece.length > 0).sort((a, b) => b.length - a.length);
}

/** The text as HTML with the words marked, in one pass (a word inside a marked phrase is not
 *  marked again); words the text writes side by side are one mark (政务公开, not 政务 公开). */
function marked(text, words) {
  if (!words.length) return escapeHtml(text);
  // Matched on the text itself, then escaped: a word never matches inside an entity (&amp;).
  const pattern = new RegExp(words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
  let html = "";
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    html += `${escapeHtml(text.slice(last, match.index))}<mark>${escapeHtml(match[0])}</mark>`;
    last = match.index + match[0].length;
  }
  return (html + escapeHtml(text.slice(last))).replaceAll("</mark><mark>", "");
}

function excerpt(text, words) {
  const lower = text.toLowerCase();
  let at = -1;
  for (const word of words) {
    const found = lower.indexOf(word.toLowerCase());
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  const start = Math.max(0, at < 0 ? 0 : at - 40);
  return (start > 0 ? "…" : "") + marked(text.slice(start, start + 140), words) + (start + 140 < text.length ? "…" : "");
}

async function renderResult(result, words) {
  const data = await result.data();
  const meta = data.meta || {};
  const body = data.content || "";
  const item = element("li", { class: "search-result" });
  const link = element("a", { href: meta.href || data.url });
  // One span: the link is a flex box (a 44 px target), and each mark would be a box of its own.
  link.innerHTML = `<span>${marked(meta.title || meta.href || data.url, words)}</span>`;
  const heading = element("h3", { class: "search-result__title" }, link);
  const info = element("p", { class: "search-result__meta" },
    element("span", { class: "tag", text: meta.kind || "" }),
    meta.headline ? element("span", { text: meta.headline }) : null,
    meta.date ? element("span", { text: `发布日期：${meta.date}` }) : null);
  const text = element("p", { class: "search-result__excerpt" });
  text.innerHTML = excerpt(body, words);
  item.append(heading, info, text);
  return item;
}

async function showMore(id) {
  const batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
  const words = markedWords(searchable(state.query));  // once a batch: a long query takes long to cut
  const items = await Promise.all(batch.map((result) => renderResult(result, words)));
  if (id !== searchId) return;
  list.append(...items);
  state.shown += batch.length;
  more.hidden = state.shown >= state.results.length;
}

function renderFilters(counts) {
  filterBox.replaceChildren();
  for (const name of FILTER_ORDER) {
    const values = allFilters[name];
    if (!values) continue;
    const entries = Object.keys(values).sort((a, b) => (values[b] - values[a]) || a.localeCompare(b, "zh-CN"));
    const details = element("details", { class: "filter" });
    if (OPEN_FILTERS.has(name) || state.filters[name]) details.open = true;
    const fieldset = element("fieldset");
    fieldset.append(element("legend", { text: name }));
    for (const value of entries) {
      const id = `f-${name}-${value}`.replace(/[^\w\u4e00-\u9fff-]/g, "_");
      const box = element("input", { type: "checkbox", id, name, value });
      box.checked = (state.filters[name] || []).includes(value);
      const count = counts?.[name]?.[value] ?? values[value];
      // The label wraps the box, so the whole 44 px row is the click target (适老化).
      fieldset.append(element("label", { class: "filter__option" }, box, `${value}`,
        counts === false ? null : element("span", { class: "filter__count", text: `（${count}）` })));
    }
    details.append(element("summary", { text: state.filters[name] ? `${name}（已选 ${state.filters[name].length}）` : name }), fieldset);
    filterBox.append(details);
  }
  clearButton.hidden = Object.keys(state.filters).length === 0;
}

/** The query as the index spells things: a 文号 typed with 年 (国办发2018年15号) is written
 *  〔2018〕15号 in documents, so the 年 goes. */
function searchable(query) {
  const half = query.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));  // ２０１８ → 2018
  return half.replace(/(\d{4})\s*年\s*(\d+)\s*号/g, "$1 $2号")
    .replace(/([\u3400-\u9fff])((?:19|20)\d{2})(\d{1,4})号/gu, "$1$2 $3号");  // 国办发201336号: year and serial glued
}

async function run() {
  const id = ++searchId;
  searchesOfQuery = new Map();
  writeUrl();
  const query = searchable(state.query);
  const tokens = queryTokens(query).join(" ");
  const browsing = tokens.length === 0;
  if (browsing && Object.keys(state.filters).length === 0) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = state.query.trim() ? "请输入汉字、数字或字母作为关键词。" : "请输入关键词，或在左侧按类别筛选。";
    showSuggestions([]);
    renderFilters(null);
    return;
  }
  status.textContent = "正在搜索……";
  const sort = state.sort === "relevance" && !browsing ? {} : { date: state.sort === "date-asc" ? "asc" : "desc" };
  // A reader ticking two values of one filter wants either of them.
  const filters = Object.fromEntries(Object.entries(state.filters).map(([name, values]) => [name, { any: values }]));
  const options = { filters, sort };
  let search;
  let partial = null;
  let usedSynonyms = false;
  let counted = true;
  if (browsing) {
    search = await pagefind.search(null, options);
    if (id !== searchId || !search) return;
    state.results = search.results;
  } else {
    const found = await answer(query, options);
    if (id !== searchId) return;
    usedSynonyms = found.usedSynonyms;
    search = found.search;
    counted = found.searches === 1;
    state.results = await ownNumberFirst(found.results, query);
    if (id !== searchId) return;
    if (!found.complete && found.results.length) partial = found;
  }
  state.shown = 0;
  list.replaceChildren();
  // Pagefind counts the pages of one search; results that several searches made have no such
  // counts, and a wrong number is worse than none.
  renderFilters(counted ? search?.filters || null : false);
  await showMore(id);
  if (id !== searchId) return;
  const what = browsing ? "符合筛选条件的内容" : `与“${state.query.trim()}”相关的内容`;
  if (partial && state.results.length) {
    status.textContent = `没有同时包含全部关键词的内容。以下 ${state.results.length} 条结果只包含部分关键词：`
      + `${[...new Set(partial.matched)].join("、")}（不含：${[...new Set(partial.missing)].join("、")}）。`;
  } else {
    // Say which other words were looked for, so a result without the reader's word is explained.
    const others = browsing ? [] : [...new Set(knownWords(query).flatMap((word) => alternatives(word).slice(1)))];
    status.textContent = state.results.length
      ? `找到 ${state.results.length} 条${what}。${usedSynonyms && others.length ? `（也查找了同义词：${others.join("、")}）` : ""}`
      : `没有找到${what}。请换个关键词，或减少筛选条件，也可以按发布机构、年份、主题浏览。`;
  }
  showSuggestions(browsing || state.results.length ? [] : nearestTerms(query));
}

/** The pages answering a query, best first. Each space-separated part of the query as a phrase;
 *  failing that, its words anywhere in a page; failing that, the pages that hold most of its
 *  words, said so plainly. The pages holding the query as typed come first; then, for a query of
 *  several words, the pages holding every word anywhere; then those holding a synonym instead. */
async function answer(query, options, expand = true, phraseOnly = false) {
  const chunks = query.trim().split(/\s+/).filter((chunk) => queryTokens(chunk).length);
  let found = await pagesHolding(chunks, options);
  if (phraseOnly) return found;
  const words = knownWords(query);
  const synonyms = words.some((word) => SYNONYMS.has(fold(word)));
  const number = numberParts(query.trim());
  // A phrase the site writes is a term of it (家庭教育, 政府信息公开), and those pages are the
  // answer, when it is term-sized and written in two pages or more, or written in a page of
  // results' worth. Otherwise (食品安全监管, 个人信息保护责任) it is several words. A 文号 names
  // one document: the pages that write it are the answer.
  const term = found.complete && (number ? found.results.length > 0
    : chunks.every(isTermSized) ? found.results.length >= 2 : found.results.length >= PAGE_SIZE);
  if (!term && (words.length > chunks.length || (!found.complete && synonyms))) {
    // The words anywhere in a page: one search for all of them, their positions deciding which
    // neighbours the page writes side by side. Synonyms, and words no page holds together,
    // take a search per word (pagesHolding).
    let apart = found.complete || !synonyms ? await wordsApart(query, words, options, found.complete, number) : null;
    if (!apart) {
      apart = await pagesHolding(words, options, !found.complete);
      if (apart.complete) apart = await longestPhrases(words, apart, options, query, !found.complete);
    }
    if (!found.complete) {
      // A partial answer of whole parts of the query beats one of as many characters cut finer;
      // a single character left over from a word no page holds (元 of 元宇宙) counts for nothing.
      const covered = (result) => result.matched.filter((word) => Array.from(word).length > 1).join("").length;
      if (apart.complete || !found.results.length || covered(apart) > covered(found)) {
        found = { ...apart, usedSynonyms: synonyms && apart.complete };
      }
    } else if (apart.complete) {
      const first = new Set(found.results.map((result) => result.id));
      const more = apart.results.filter((r) => !first.has(r.id));
      // The pages holding the whole query hold its words too: when every page of the words'
      // search is listed, that search's filter counts are the list's.
      const all = apart.whole && found.results.length + more.length === apart.results.length;
      found = { ...found, results: [...found.results, ...more], search: all ? apart.search : found.search,
                searches: all ? 1 : found.searches + apart.searches };
    }
  }
  if (expand && found.complete && synonyms && !found.usedSynonyms) {
    // The names people use: pages that write a synonym or another name of the body instead
    // (老旧小区改造 → 老旧住宅小区改造, 区人社局 → 区人力资源和社会保障局), asked the same way as the
    // query, after the pages that write the query's own words.
    const seen = new Set(found.results.map((result) => result.id));
    const more = [];
    let searches = found.searches;
    for (const variant of synonymVariants(query, words)) {
      // A query answered as a term is asked as one in its other names too.
      const other = await answer(variant, options, false, term);
      searches += other.searches;
      if (!other.complete) continue;
      for (const result of other.results) {
        if (!seen.has(result.id)) {
          seen.add(result.id);
          more.push(result);
        }
      }
    }
    if (more.length) found = { ...found, results: [...found.results, ...more], searches, usedSynonyms: true };
  }
  if (!found.complete && (found.matched || []).every((word) => Array.from(word).length < 2)) {
    // Pages that share only a character or a digit with the query (the 4 and 号 of a 文号 the
    // site does not have) are no answer: say nothing was found and suggest names instead.
    found = { ...found, results: [] };
  }
  return found;
}

/** The query with one of its words replaced by each of that word's synonyms (at most eight). */
function synonymVariants(query, words) {
  const variants = [];
  for (const word of words) {
    const at = query.indexOf(word);
    if (at < 0) continue;
    for (const other of alternatives(word).slice(1)) {
      const variant = query.slice(0, at) + other + query.slice(at + word.length);
      if (fold(variant) !== fold(query) && !variants.includes(variant)) variants.push(variant);
    }
  }
  return variants.slice(0, 8);
}

// The searches made for the query being answered (run starts afresh), by terms and options: the
// same search is asked once, however often the query repeats a word or its joins are tried
// again (a pasted 政务公开政务公开… asked it hundreds of times, seconds on a phone).
let searchesOfQuery = new Map();

function find(terms, options) {
  const key = JSON.stringify([terms, options]);
  if (!searchesOfQuery.has(key)) searchesOfQuery.set(key, ask(terms, options));
  return searchesOfQuery.get(key);
}

/** Pagefind's search for our tokens. A token that is a character's bare spelling (税, the 号 of
 *  4号) is a prefix of all that character's words, which may run over several index chunks while
 *  Pagefind loads one chunk for a term: the others, which the index lists (writer.py _continued),
 *  are loaded first, and Pagefind's prefix matching then reaches every word it has loaded. */
async function ask(terms, options) {
  const prefixes = terms.split(" ").filter((term) => /^[a-l][a-z]{3}$/.test(term));
  if (prefixes.length) {
    continued ||= loadContinued();
    const starts = (await continued);
    await Promise.all(prefixes.flatMap((prefix) => starts[prefix] || []).map((word) => pagefind.preload(word)));
  }
  return pagefind.search(terms, options);
}

let continued = null;

async function loadContinued() {
  try {
    const base = new URL("../pagefind/", import.meta.url);
    const entry = await (await fetch(new URL("pagefind-entry.json", base))).json();
    return entry.continued ? await (await fetch(new URL(entry.continued, base))).json() : {};
  } catch (error) {
    return {};
  }
}

/** A 文号 as its parts, however it was typed: issuer code, year (if given) and serial number. */
function numberParts(text) {
  const key = searchable(text).replace(/[〔〕\[\]()（）【】［］\s年第]/g, "");
  const m = key.match(/^([\u3400-\u9fff]+?)((?:19|20)\d{2})?(\d{1,5})号$/u);
  return m ? { code: fold(m[1]), year: m[2] || "", serial: String(Number(m[3])) } : null;
}

/** For a query that is a 文号, the document that bears it before the pages that cite it. */
async function ownNumberFirst(results, query) {
  const asked = numberParts(query.trim());
  if (!asked || !results.length || results.length > 50) return results;
  const datas = await Promise.all(results.map((result) => result.data()));
  const own = datas.map((data) => {
    const parts = numberParts(((data.meta || {}).headline || "").split("　")[0]);
    return Boolean(parts && parts.code === asked.code && parts.serial === asked.serial
      && (!asked.year || parts.year === asked.year));
  });
  return [...results.filter((_, i) => own[i]), ...results.filter((_, i) => !own[i])];
}

/** Bigrams of a text's Han characters and its Latin words: what two spellings share. */
function grams(text) {
  const chars = Array.from(fold(text).replace(/\s+/g, ""));
  return new Set(chars.length < 2 ? chars : chars.slice(1).map((c, i) => chars[i] + c));
}

/** The body names and synonyms closest to a query that found nothing (区财正局 → 区财政局). */
function nearestTerms(query) {
  const asked = grams(query);
  if (!asked.size) return [];
  const scored = [];
  for (const group of [...new Set(SYNONYMS.values()), NAMES]) {
    for (const term of group) {
      const own = grams(term);
      const shared = [...asked].filter((g) => own.has(g)).length;
      const score = (2 * shared) / (asked.size + own.size);
      if (score >= 0.3) scored.push([score, term]);
    }
  }
  scored.sort((a, b) => (b[0] - a[0]) || a[1].localeCompare(b[1], "zh-CN"));
  return [...new Set(scored.map(([, term]) => term))].slice(0, 5);
}

function showSuggestions(terms) {
  suggestBox.replaceChildren();
  suggestBox.hidden = terms.length === 0;
  if (!terms.length) return;
  suggestBox.append("您是不是要找：");
  terms.forEach((term, index) => {
    if (index) suggestBox.append("、");
    const params = new URLSearchParams({ q: term });
    suggestBox.append(element("a", { href: `?${params}`, text: term }));
  });
}

/** The pages holding every one of `words` (each a phrase: its tokens side by side), or else the
 *  pages holding the most of them, all holding the same ones, so a notice can name exactly those.
 *  Pagefind keeps a page that lacks some of the terms asked for, so each word is asked alone. */
async function pagesHolding(all, options, synonyms = false) {
  const words = all.slice(0, 30);  // one bit each in a mask
  // A word with synonyms is held by a page that holds any of them.
  const asked = words.flatMap((word, index) => (synonyms ? alternatives(word) : [word]).map((text) => ({ text, index })));
  const searches = await Promise.all(asked.map(({ text }) => find(queryTokens(text).join(" "), options)));
  const phrases = asked.map(({ text }) => placedTokens(text));  // once a word, not once a page
  const pages = new Map();
  searches.forEach((search, n) => {
    const { index } = asked[n];
    for (const [rank, result] of (search?.results || []).entries()) {
      if (!isPhraseMatch(result, phrases[n])) continue;
      if (pages.get(result.id)?.mask & (1 << index)) continue;
      const page = pages.get(result.id) || { result, mask: 0, count: 0, score: 0, rank };
      page.mask |= 1 << index;
      page.count += 1;
      page.score += result.score;
      page.rank = Math.min(page.rank, rank);
      pages.set(result.id, page);
    }
  });
  const groups = new Map();
  for (const page of pages.values()) {
    if (!groups.has(page.mask)) groups.set(page.mask, { mask: page.mask, count: page.count, pages: [] });
    groups.get(page.mask).pages.push(page);
  }
  const best = [...groups.values()]
    .sort((a, b) => (b.count - a.count) || (b.pages.length - a.pages.length) || (a.mask - b.mask))[0];
  const search = searches.find(Boolean) || null;
  if (!best) return { results: [], complete: false, matched: [], missing: words, search, searches: asked.length };
  // By relevance, the sum of the words' scores; by date, the order the searches gave.
  const byDate = Object.keys(options.sort || {}).length > 0;
  best.pages.sort((a, b) => (byDate ? a.rank - b.rank : b.score - a.score) || (a.rank - b.rank));
  const matched = words.filter((_, index) => best.mask & (1 << index));
  // A word asked twice (or past the thirtieth, the same as one before) is held once it is held.
  const missing = all.filter((word, index) => (index >= 30 || !(best.mask & (1 << index))) && !matched.includes(word));
  return {
    results: best.pages.map((page) => page.result),
    complete: missing.length === 0,
    matched,
    missing,
    search,
    searches: asked.length,
  };
}

function fold(word) {
  return toSimplified(word.normalize("NFKC").toLowerCase());
}

/** Each word of config.yaml's synonym groups and of a body's names, to all the words of its group
 *  (groups that share a word become one). */
function synonymMap(groups) {
  const map = new Map();
  for (const group of groups) {
    const all = new Set(group.map(String));
    for (const word of group) for (const other of map.get(fold(String(word))) || []) all.add(other);
    for (const word of all) map.set(fold(word), all);
  }
  return map;
}

function alternatives(word) {
  return [...new Set([word, ...(SYNONYMS.get(fold(word)) || [])])];
}

let knownTerms = null;  // the words of SYNONYMS that have tokens, longest first

/** The query's words, with every word that has synonyms kept whole (the segmenter would cut
 *  最低生活保障 into three) and the rest cut by queryWords. */
function knownWords(query) {
  if (!SYNONYMS.size) return queryWords(query);
  // Once per page: every search and every batch of results shown asks again (markedWords), and
  // cutting every synonym into tokens each time was a fifth of a search's work.
  const known = (knownTerms ||= [...SYNONYMS.keys()].filter((word) => queryTokens(word).length)
    .sort((a, b) => b.length - a.length));
  const words = [];
  for (const chunk of query.trim().split(/\s+/)) {
    let rest = "";
    for (let i = 0; i < chunk.length;) {
      const folded = fold(chunk.slice(i));
      const term = known.find((word) => folded.startsWith(word));
      if (term) {
        words.push(...queryWords(rest), chunk.slice(i, i + term.length));
        rest = "";
        i += term.length;
      } else {
        rest += chunk[i];
        i += 1;
      }
    }
    words.push(...queryWords(rest));
  }
  return words;
}

/** The query's words, each with its tokens placed at the index positions they take counted from
 *  the start of their space-free part, so that a page's positions say which words it writes side
 *  by side. Null if a word cannot be placed (then each word is searched alone). */
function placeWords(query, words) {
  const chunks = query.trim().split(/\s+/).filter(Boolean);
  const placed = [];
  let part = 0;
  let cursor = 0;
  for (const word of words) {
    const target = toSimplified(word);
    let at = -1;
    for (; part < chunks.length; part += 1, cursor = 0) {
      at = toSimplified(chunks[part]).indexOf(target, cursor);
      if (at >= 0) break;
    }
    if (at < 0) return null;
    const map = positions(chunks[part]);
    const start = map[at];
    const end = map[at + target.length - 1];
    if (start === null || end === null) return null;
    cursor = at + target.length;
    const partEnd = Math.max(...map.filter((position) => position !== null));
    placed.push({ text: word, part, start, end, partEnd,
                  tokens: placedTokens(word).map(({ token, at: offset }) => ({ token, at: start + offset })) });
  }
  return placed;
}

/** Whether a page's index positions hold `tokens` at the distances the query has them. */
function sideBySide(held, tokens) {
  if (tokens.length < 2) return true;
  const first = tokens[0].at;
  for (const position of held) {
    const base = position - first;
    if (tokens.every(({ at }) => held.has(base + at))) return true;
  }
  return false;
}

/** How many pages hold each token, without ranking them: under a filter value no page has,
 *  Pagefind scores nothing and still counts the pages the terms match. */
async function pageCounts(tokens) {
  const none = { filters: { 类型: { any: ["\u0000"] } } };
  const searches = await Promise.all(tokens.map((token) => find(token, none)));
  return new Map(tokens.map((token, i) => [token, searches[i]?.unfilteredResultCount || 0]));
}

/** The pages holding every one of `words` anywhere (each as written, its tokens side by side),
 *  neighbours joined as in longestPhrases, from one search: the positions Pagefind gives for
 *  each page decide. When `known` is false some words may be in no page at all: those are left
 *  out and named (a partial result). Null when this cannot answer (no page holds the words that
 *  exist together): pagesHolding then finds the pages holding most of them. */
async function wordsApart(query, words, options, known, number = null) {
  const placed = placeWords(query, words.slice(0, 30));
  if (!placed || placed.length !== words.length) return null;
  let present = placed;
  if (!known) {
    // Pagefind leaves out a term no page holds instead of finding nothing, so count first.
    const counts = await pageCounts([...new Set(placed.flatMap((word) => word.tokens.map(({ token }) => token)))]);
    const held = placed.filter((word) => word.tokens.every(({ token }) => counts.get(token) > 0));
    // When some word is in no page, a single character left over from it (元 of 元宇宙) is no
    // evidence of the reader's meaning: it counts as missing too.
    present = held.length === placed.length ? held : held.filter((word) => Array.from(word.text).length > 1);
    if (!present.length) return null;
  }
  const tokens = [...new Set(present.flatMap((word) => word.tokens.map(({ token }) => token)))];
  const search = await find(tokens.join(" "), options);
  const pages = (search?.results || []).map((result) => ({ result, held: new Set(result.words) }))
    .filter(({ held }) => present.every((word) => sideBySide(held, word.tokens)));
  if (!pages.length) return null;
  const complete = present.length === placed.length;
  let { best, groups } = await joinNeighbours(present, pages, tokens, options);
  if (number && !number.year) {
    // A 文号 typed without its year (济天政办发4号): the pages that write its serial as a 文号
    // does (〕4号), if any, not those that hold a 4 somewhere else (2022年4月).
    // A page's positions are not labelled by word, so the serial and the 号 ending it are
    // searched for alone.
    const pattern = numberEnding(number);
    const ending = await find(pattern.map(({ token }) => token).join(" "), options);
    const ids = new Set((ending?.results || []).filter((result) => sideBySide(new Set(result.words), pattern))
      .map((result) => result.id));
    const own = best.filter(({ result }) => ids.has(result.id));
    if (own.length) best = own;
  }
  return {
    results: best.map(({ result }) => result),
    complete,
    matched: groups.map((group) => group.map((word) => word.text).join("")),
    missing: placed.filter((word) => !present.includes(word)).map((word) => word.text),
    search,
    whole: best.length === search.results.length,
    searches: best.length === search.results.length ? 1 : 2,
  };
}

/** A 文号's serial and the 号 that ends it (〕4号), placed: the 号 as the end of a run, which
 *  it is in every 文号 written in a page (followed by punctuation, a space or nothing). */
function numberEnding({ serial }) {
  return [{ token: queryTokens(serial)[0], at: 0 }, { token: `${spell("号")}z`, at: 1 }];
}

/** longestPhrases on positions at hand: neighbouring words joined where two pages or more write
 *  them side by side. The first join of up to four characters is taken for one compound term
 *  (食品安全, 个人信息): the pages that write it are kept, the others dropped. A later one narrows
 *  only where most of the pages left write it so (个人信息 + 保护责任 stays apart). A longer join
 *  (天桥区 + 政务公开) is several terms: the pages that write it go first, the others stay. A
 *  page's positions are not labelled by word, so a join is checked with the bigrams across the
 *  seam (品安) searched as well. */
async function joinNeighbours(placed, pages, searched, options) {
  const groups = placed.map((word) => [word]);
  const tokens = new Set(searched);
  let best = pages;
  let ahead = [];
  let narrowed = false;
  for (let i = 0; i < groups.length - 1;) {
    const joined = [...groups[i], ...groups[i + 1]];
    const last = groups[i][groups[i].length - 1];
    const next = groups[i + 1][0];
    const after = joined[joined.length - 1];
    const adjacent = last.part === next.part && last.end + 1 === next.start;
    // Never back to a whole part of the query: as a phrase it was already found not to be a term.
    const whole = joined[0].start === 0 && after.end === after.partEnd;
    const text = joined.map((word) => word.text).join("");
    if (!adjacent || whole) {
      i += 1;
      continue;
    }
    const phrase = placedTokens(text).map(({ token, at }) => ({ token, at: joined[0].start + at }));
    const seam = phrase.filter(({ token }) => !tokens.has(token)).map(({ token }) => token);
    let attempt = best;
    if (seam.length) {
      const search = await find([...tokens, ...seam].join(" "), options);
      const kept = new Set(best.map(({ result }) => result.id));
      attempt = (search?.results || []).filter((result) => kept.has(result.id))
        .map((result) => ({ result, held: new Set(result.words) }));
    }
    attempt = attempt.filter(({ held }) => sideBySide(held, phrase));
    const term = Array.from(text).length <= 4 && (!narrowed || attempt.length * 2 >= best.length);
    if (attempt.length >= 2 && term) {
      narrowed = true;
      groups.splice(i, 2, joined);
      seam.forEach((token) => tokens.add(token));
      best = attempt;
      ahead = ahead.filter((id) => attempt.some(({ result }) => result.id === id));
    } else {
      if (attempt.length >= 2) ahead.push(...attempt.map(({ result }) => result.id));
      i += 1;
    }
  }
  if (ahead.length && !Object.keys(options.sort || {}).length) {
    // By relevance, pages writing more of the longer joins first, in the search's order otherwise.
    const count = new Map();
    for (const id of ahead) count.set(id, (count.get(id) || 0) + 1);
    best = best.map((page, index) => ({ page, index, n: count.get(page.result.id) || 0 }))
      .sort((a, b) => (b.n - a.n) || (a.index - b.index)).map(({ page }) => page);
  }
  return { best, groups };
}

/** Most Chinese terms (名词术语) run to six characters; a longer run typed is usually several. */
function isTermSized(text) {
  return Array.from(text).length <= 6;
}

/** Neighbouring words joined back into one phrase wherever pages holding all the words still
 *  exist with it (食品 安全 监管 → 食品安全 监管): the segmenter cuts finer than the site's own
 *  phrases, and a page that holds the phrase is what the reader meant. */
async function longestPhrases(words, found, options, query, synonyms) {
  let current = words;
  let best = found;
  for (let i = 0; i < current.length - 1;) {
    const joined = current[i] + current[i + 1];
    // Never back to a whole part of the query: as a phrase it was already found not to be a term.
    if (!query.includes(joined) || query.trim().split(/\s+/).includes(joined)) {
      i += 1;
      continue;
    }
    const merged = [...current.slice(0, i), joined, ...current.slice(i + 2)];
    const attempt = await pagesHolding(merged, options, synonyms);
    // Two-character words joined into four are mostly a compound term (环境污染, 个人信息): joined
    // where two pages or more write it so. A longer join must keep at least half the pages
    // (个人信息保护 责任 stays apart where few pages write 个人信息保护).
    const short = Array.from(joined).length <= 4;
    if (attempt.complete && attempt.results.length >= 2 && (short || attempt.results.length * 2 >= best.results.length)) {
      current = merged;
      best = attempt;
    } else {
      i += 1;
    }
  }
  return best;
}

/** The ARIA 1.2 combobox: body names and synonyms holding what is typed, listed under the box.
 *  Focus stays in the box; arrow keys move the highlighted option (aria-activedescendant), Enter
 *  takes it, Escape or Tab closes the list. */
const combo = { options: [], active: -1 };

function optionsFor(text) {
  const typed = fold(text.trim());
  if (!typed) return [];
  const terms = new Set([...new Set(SYNONYMS.values())].flatMap((group) => [...group]).concat(NAMES));
  return [...terms].filter((term) => fold(term).includes(typed) && fold(term) !== typed)
    .sort((a, b) => (fold(b).startsWith(typed) - fold(a).startsWith(typed)) || (a.length - b.length) || a.localeCompare(b, "zh-CN"))
    .slice(0, 6);
}

function showOptions(options) {
  combo.options = options;
  combo.active = -1;
  optionList.replaceChildren(...options.map((text, index) => {
    const option = element("li", { id: `search-option-${index}`, role: "option", "aria-selected": "false", text });
    option.addEventListener("mousedown", (event) => event.preventDefault());  // keep focus in the box
    option.addEventListener("click", () => choose(index));
    return option;
  }));
  optionList.hidden = options.length === 0;
  input.setAttribute("aria-expanded", String(options.length > 0));
  input.removeAttribute("aria-activedescendant");
}

function highlight(index) {
  combo.active = index;
  optionList.querySelectorAll("[role=option]").forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
  if (index >= 0) input.setAttribute("aria-activedescendant", `search-option-${index}`);
  else input.removeAttribute("aria-activedescendant");
}

function choose(index) {
  input.value = combo.options[index];
  showOptions([]);
  clearTimeout(typing);
  state.query = input.value;
  run();
}

function comboKeys(event) {
  const count = combo.options.length;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!count) {
      showOptions(optionsFor(input.value));
      if (!combo.options.length) return;
    }
    event.preventDefault();
    const step = event.key === "ArrowDown" ? 1 : -1;
    const total = combo.options.length;
    highlight(combo.active < 0 ? (step > 0 ? 0 : total - 1) : (combo.active + step + total) % total);
  } else if (event.key === "Enter" && count && combo.active >= 0) {
    event.preventDefault();
    choose(combo.active);
  } else if (event.key === "Escape" && count) {
    event.preventDefault();
    showOptions([]);
  } else if (event.key === "Tab") {
    showOptions([]);
  }
}

let typing;
async function start() {
  readUrl();
  input.value = state.query;
  sortSelect.value = state.sort;
  app.hidden = false;
  try {
    pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
    // Policy documents are long by nature; a weak length penalty lets a document whose title
    // names the query lead the short task entries that merely mention it.
    await pagefind.options({ excerptLength: 0, ranking: { pageLength: 0.1 } });
    allFilters = await pagefind.filters();
  } catch (error) {
    status.textContent = "搜索索引加载失败，请稍后再试，或按发布机构、年份、主题浏览。";
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    showOptions([]);
    clearTimeout(typing);  // the search typing would start in a moment is this one
    state.query = input.value;
    run();
  });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "search-options");
  input.addEventListener("keydown", comboKeys);
  input.addEventListener("blur", () => showOptions([]));
  input.addEventListener("input", () => {
    showOptions(optionsFor(input.value));
    clearTimeout(typing);
    typing = setTimeout(() => { state.query = input.value; run(); }, 400);
  });
  sortSelect.addEventListener("change", () => { state.sort = sortSelect.value; run(); });
  filterBox.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox") return;
    const values = new Set(state.filters[box.name] || []);
    if (box.checked) values.add(box.value); else values.delete(box.value);
    if (values.size) state.filters[box.name] = [...values]; else delete state.filters[box.name];
    run().then(() => document.getElementById(box.id)?.focus());
  });
  clearButton.addEventListener("click", () => { state.filters = {}; run().then(() => input.focus()); });
  more.addEventListener("click", () => {
    const first = state.shown;
    showMore(searchId).then(() => list.children[first]?.querySelector("a")?.focus());
  });
  run();
}

start();
