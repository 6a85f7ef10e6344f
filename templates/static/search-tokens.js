// The browser half of disclosure/search/tokens.py: the same tokens for a query, and the way back
// from indexed text to readable text for excerpts. Keep the two files in step (tests compare them).
import { PAIRS } from "./search-fold.js";

const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const LATIN = "0-9A-Za-z\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a";
const PIECE = new RegExp(`([${HAN}]+)|([${LATIN}]+)`, "gu");
const LOOKS_LIKE_TOKEN = /^(?:[a-z]{4}(?:[a-z]{4}|z)?|n[q-z]+n)0*$/;
const DIGITS = /^[0-9]+$/;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const FOLD = new Map();
for (let i = 0; i < PAIRS.length;) {
  const from = String.fromCodePoint(PAIRS.codePointAt(i));
  i += from.length;
  const to = String.fromCodePoint(PAIRS.codePointAt(i));
  i += to.length;
  FOLD.set(from, to);
}

/** Traditional characters as simplified ones, one for one (disclosure/search/fold.py). */
export function fold(text) {
  return Array.from(text, (c) => FOLD.get(c) ?? c).join("");
}

export function spell(char) {
  let number = char.codePointAt(0);
  let letters = "";
  for (let i = 0; i < 4; i += 1) {
    letters = LETTERS[number % 26] + letters;
    number = Math.floor(number / 26);
  }
  return letters;
}

const END = "z";  // after a character's spelling: the end of a run (no Han character's spelling starts with z)

function runTokens(run) {
  const spelled = Array.from(run, spell);
  const pairs = spelled.slice(0, -1).map((s, i) => s + spelled[i + 1]);
  return [...pairs, spelled[spelled.length - 1] + END];
}

function latin(word) {
  const normal = word.normalize("NFKC");
  if (DIGITS.test(normal)) return `n${Array.from(normal, (d) => "qrstuvwxyz"[d]).join("")}n`;
  return LOOKS_LIKE_TOKEN.test(normal.toLowerCase()) ? `${normal}0` : normal;
}

/** What to search for (disclosure/search/tokens.py query_tokens says why): Latin words and
 *  numbers as indexed; a Han run's bigrams, then its end token when more follows in the same
 *  word, nothing when it ends the word, and a lone last character's bare spelling (a prefix). */
export function queryTokens(query) {
  return query.split(/\s+/).filter(Boolean).flatMap((chunk) => placedTokens(chunk).map(({ token }) => token));
}

/** queryTokens of one space-free part of a query, each with the index position it takes counted
 *  from the part's start (tokens.py placed_query): a Han character or a Latin word is one
 *  position, and so is each clause or sentence break. */
export function placedTokens(chunk) {
  const found = [];
  const folded = fold(chunk);
  const pieces = Array.from(folded.matchAll(PIECE));
  let at = 0;
  let last = 0;
  pieces.forEach(([text, han, word], index) => {
    at += breaksIn(folded.slice(last, pieces[index].index));
    last = pieces[index].index + text.length;
    if (!han) {
      found.push({ token: latin(word).toLowerCase(), at });
      at += 1;
      return;
    }
    const length = Array.from(han).length;
    const run = runTokens(han);
    const tokens = index < pieces.length - 1 ? run : length > 1 ? run.slice(0, -1) : [spell(han)];
    tokens.forEach((token, i) => found.push({ token, at: at + i }));
    at += length;
  });
  return found;
}

/** The index position of each UTF-16 unit of a space-free text, as placedTokens counts them
 *  (null outside a Han character or Latin word). */
export function positions(chunk) {
  const folded = fold(chunk);
  const at = new Array(folded.length).fill(null);
  let position = 0;
  let last = 0;
  for (const match of folded.matchAll(PIECE)) {
    position += breaksIn(folded.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2]) {
      at.fill(position, match.index, last);
      position += 1;
      continue;
    }
    let unit = match.index;
    for (const char of match[0]) {
      at.fill(position, unit, unit + char.length);
      unit += char.length;
      position += 1;
    }
  }
  return at;
}

// tokens.py BREAKS: where a clause or a sentence ends; each takes a position.
const BREAKS = new Set("\n\r,.;:!?，。、；：！？…｡．");

function breaksIn(text) {
  let count = 0;
  for (const char of text) if (BREAKS.has(char)) count += 1;
  return count;
}

/** The Han runs and Latin words of a query, as a reader typed them (for highlighting). */
export function queryPieces(query) {
  return Array.from(query.matchAll(PIECE), (m) => m[0]);
}

const SEGMENTER = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh-CN", { granularity: "word" }) : null;
const HAN_ONLY = new RegExp(`^[${HAN}]+$`, "u");

/** The words of a query typed without spaces, for a page that holds them apart: each Han run cut
 *  by the browser's dictionary segmenter, characters it leaves alone kept together (放管服, 听证),
 *  a single one joined to the word before it (天桥 + 区, 处理 + 费). Without a segmenter each
 *  piece stays whole. Only which tokens must sit together changes: every word's tokens are
 *  queryTokens', so the index and the query still agree by construction. */
export function queryWords(query) {
  const words = [];
  for (const [piece, han] of fold(query).matchAll(PIECE)) {
    if (!han || !SEGMENTER) {
      words.push(piece);
      continue;
    }
    // Characters the segmenter leaves alone: two or more in a row are one word (放管服, 听证);
    // one by itself belongs to the word before it (天桥 + 区).
    const parts = [];
    for (const { segment } of SEGMENTER.segment(han)) {
      if (!HAN_ONLY.test(segment)) continue;
      const single = Array.from(segment).length === 1;
      const last = parts[parts.length - 1];
      if (single && last?.singles) last.text += segment;
      else parts.push({ text: segment, singles: single });
    }
    parts.forEach((part, index) => {
      const alone = part.singles && Array.from(part.text).length === 1;
      if (alone && index > 0) words[words.length - 1] += part.text;
      else words.push(part.text);
    });
  }
  return words;
}
