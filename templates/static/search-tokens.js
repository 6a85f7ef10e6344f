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
  const found = [];
  for (const chunk of query.split(/\s+/).filter(Boolean)) {
    const pieces = Array.from(fold(chunk).matchAll(PIECE));
    pieces.forEach(([, han, word], index) => {
      if (!han) {
        found.push(latin(word).toLowerCase());
        return;
      }
      const run = runTokens(han);
      if (index < pieces.length - 1) found.push(...run);
      else if (Array.from(han).length > 1) found.push(...run.slice(0, -1));
      else found.push(spell(han));
    });
  }
  return found;
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
