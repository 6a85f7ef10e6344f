// The browser half of disclosure/search/tokens.py: the same tokens for a query, and the way back
// from indexed text to readable text for excerpts. Keep the two files in step (tests compare them).

const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const LATIN = "0-9A-Za-z\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a";
const PIECE = new RegExp(`([${HAN}]+)|([${LATIN}]+)`, "gu");
const LOOKS_LIKE_TOKEN = /^(?:[a-z]{4}(?:[a-z]{4})?|n[q-z]+n)0*$/;
const DIGITS = /^[0-9]+$/;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

export function spell(char) {
  let number = char.codePointAt(0);
  let letters = "";
  for (let i = 0; i < 4; i += 1) {
    letters = LETTERS[number % 26] + letters;
    number = Math.floor(number / 26);
  }
  return letters;
}

function runTokens(run) {
  const spelled = Array.from(run, spell);
  const pairs = spelled.slice(0, -1).map((s, i) => s + spelled[i + 1]);
  return [...pairs, spelled[spelled.length - 1]];
}

function latin(word) {
  const normal = word.normalize("NFKC");
  if (DIGITS.test(normal)) return `n${Array.from(normal, (d) => "qrstuvwxyz"[d]).join("")}n`;
  return LOOKS_LIKE_TOKEN.test(normal.toLowerCase()) ? `${normal}0` : normal;
}

/** What to search for: a Han run's bigrams then its last character's spelling (a prefix), Latin words and numbers as indexed. */
export function queryTokens(query) {
  const found = [];
  for (const [, han, word] of query.matchAll(PIECE)) {
    if (han) found.push(...runTokens(han));
    else found.push(latin(word).toLowerCase());
  }
  return found;
}

/** The Han runs and Latin words of a query, as a reader typed them (for highlighting). */
export function queryPieces(query) {
  return Array.from(query.matchAll(PIECE), (m) => m[0]);
}

function unspell(letters) {
  let number = 0;
  for (const letter of letters) number = number * 26 + LETTERS.indexOf(letter);
  return String.fromCodePoint(number);
}

/** Indexed text back to readable text: spelled runs to characters, numbers to digits, escaped
 *  Latin words restored. Pagefind's Chinese segmenter adds zero-width spaces between words. */
export function decode(text) {
  text = text.replace(/\u200b/g, "").replace(/[ \t\n]+/g, " ");
  // A spelled run is bigram tokens then the run's last character, separated by single spaces;
  // a Han character's spelling starts with a–l, which keeps numbers (n…n) apart.
  const run = /(?:^|\s)((?:[a-l][a-z]{3}[a-l][a-z]{3} )*[a-l][a-z]{3})(?=\s|$)/g;
  const decoded = text.replace(run, (whole, tokens) => {
    const chars = tokens.split(" ").map((t) => unspell(t.slice(0, 4)));
    return `\u0000${chars.join("")}\u0000`;
  });
  return decoded
    .replace(/\s?\u0000\s?/g, "")
    .replace(/\bn([q-z]+)n\b/g, (m, letters) => Array.from(letters, (l) => "qrstuvwxyz".indexOf(l)).join(""))
    .replace(/\b((?:[A-Za-z]{4}(?:[A-Za-z]{4})?|[Nn][q-zQ-Z]+[Nn])0*)0\b/g, "$1");
}
