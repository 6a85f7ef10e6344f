// 关怀版, part one. Loaded as a blocking script in <head>, before the stylesheets, so the reader's
// saved settings are classes on <html> before anything is painted: no flash of small text or of
// the default colours. Plain ES5 so that no browser stumbles over it. care.js, deferred, runs the
// toolbar and writes the same storage key; keep the two files in step.
(function () {
  var root = document.documentElement;
  var add = [];
  // care-js shows the toolbar. Only where care.js (ES2017) can run, so nobody sees dead buttons:
  // browsers that know <script nomodule> also know the syntax care.js uses.
  if ("noModule" in document.createElement("script")) add.push("care-js");
  if ("speechSynthesis" in window && window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function") {
    add.push("care-tts");
  }
  var saved = {};
  try {
    saved = JSON.parse(window.localStorage.getItem("xxgk-care") || "{}") || {};
  } catch (error) {
    // Storage switched off or a broken value: the defaults apply.
  }
  if ([125, 150, 175, 200].indexOf(saved.size) >= 0) add.push("care-size-" + saved.size);
  if (saved.size >= 150 && saved.size <= 200) add.push("care-large"); // narrow screens stack tables
  if (saved.contrast === true) add.push("care-contrast");
  if (saved.spacing === true) add.push("care-spacing");
  if (saved.cursor === true) add.push("care-cursor");
  if (saved.open === true) add.push("care-open");
  root.className = (root.className ? root.className + " " : "") + add.join(" ");
})();
