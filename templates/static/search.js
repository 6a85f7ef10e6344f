// The search page: Pagefind's JS API with our own tokens, an accessible form, filters and results.
// Without JavaScript this file never runs and the page's <noscript> text points to browsing instead.
import { queryTokens, queryPieces } from "./search-tokens.js";

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

const state = { query: "", filters: {}, sort: "relevance", shown: 0, results: [] };
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

/** Phrase check: the tokens of the query's longest chunk must sit at consecutive positions in
 *  the page (positions count our tokens only, so punctuation between them does not count). */
function isPhraseMatch(result, query) {
  const needed = Math.max(0, ...query.split(/\s+/).map((chunk) => queryTokens(chunk).length));
  if (needed < 2) return true;
  const chain = new Map();
  for (const position of [...new Set(result.words)].sort((a, b) => a - b)) {
    const length = 1 + (chain.get(position - 1) || 0);
    if (length >= needed) return true;
    chain.set(position, length);
  }
  return false;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function excerpt(text, query) {
  const pieces = queryPieces(query).filter((p) => p.length > 0);
  const lower = text.toLowerCase();
  let at = -1;
  for (const piece of pieces) {
    const found = lower.indexOf(piece.toLowerCase());
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  const start = Math.max(0, at < 0 ? 0 : at - 40);
  const slice = text.slice(start, start + 140);
  let html = escapeHtml(slice);
  for (const piece of pieces.sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(escapeHtml(piece).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
    html = html.replace(pattern, (m) => `<mark>${m}</mark>`);
  }
  return (start > 0 ? "…" : "") + html + (start + 140 < text.length ? "…" : "");
}

async function renderResult(result) {
  const data = await result.data();
  const meta = data.meta || {};
  const body = data.content || "";
  const item = element("li", { class: "search-result" });
  const heading = element("h3", { class: "search-result__title" },
    element("a", { href: meta.href || data.url, text: meta.title || meta.href || data.url }));
  const info = element("p", { class: "search-result__meta" },
    element("span", { class: "tag", text: meta.kind || "" }),
    meta.headline ? element("span", { text: meta.headline }) : null,
    meta.date ? element("span", { text: `发布日期：${meta.date}` }) : null);
  const text = element("p", { class: "search-result__excerpt" });
  text.innerHTML = excerpt(body, state.query);
  item.append(heading, info, text);
  return item;
}

async function showMore(id) {
  const batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
  const items = await Promise.all(batch.map(renderResult));
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
        element("span", { class: "filter__count", text: `（${count}）` })));
    }
    details.append(element("summary", { text: state.filters[name] ? `${name}（已选 ${state.filters[name].length}）` : name }), fieldset);
    filterBox.append(details);
  }
  clearButton.hidden = Object.keys(state.filters).length === 0;
}

async function run() {
  const id = ++searchId;
  writeUrl();
  const tokens = queryTokens(state.query).join(" ");
  const browsing = tokens.length === 0;
  if (browsing && Object.keys(state.filters).length === 0) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = state.query.trim() ? "请输入汉字、数字或字母作为关键词。" : "请输入关键词，或在左侧按类别筛选。";
    renderFilters(null);
    return;
  }
  status.textContent = "正在搜索……";
  const sort = state.sort === "relevance" && !browsing ? {} : { date: state.sort === "date-asc" ? "asc" : "desc" };
  // A reader ticking two values of one filter wants either of them.
  const filters = Object.fromEntries(Object.entries(state.filters).map(([name, values]) => [name, { any: values }]));
  const search = await pagefind.search(browsing ? null : tokens, { filters, sort });
  if (id !== searchId || !search) return;
  state.results = browsing ? search.results : search.results.filter((r) => isPhraseMatch(r, state.query));
  state.shown = 0;
  list.replaceChildren();
  renderFilters(search.filters);
  await showMore(id);
  if (id !== searchId) return;
  const what = browsing ? "符合筛选条件的内容" : `与“${state.query.trim()}”相关的内容`;
  status.textContent = state.results.length
    ? `找到 ${state.results.length} 条${what}。`
    : `没有找到${what}。请换个关键词，或减少筛选条件。`;
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
    state.query = input.value;
    run();
  });
  input.addEventListener("input", () => {
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
