// 关怀版, part two: the toolbar. care-init.js has already put the saved settings on <html> before
// the first paint; this deferred script wires the buttons, keeps aria-pressed in step with the
// classes and saves every change to localStorage so it follows the reader from page to page.
(() => {
  "use strict";
  const KEY = "xxgk-care"; // the same key as care-init.js
  const SIZES = [100, 125, 150, 175, 200];
  const RATES = [0.75, 1, 1.5];
  const DEFAULTS = { size: 100, contrast: false, spacing: false, cursor: false, rate: 1 };
  const root = document.documentElement;
  const toggle = document.getElementById("care-toggle");
  const panel = document.getElementById("care-panel");
  if (!toggle || !panel) return;

  function load() {
    let saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(KEY) || "{}") || {};
    } catch (error) {
      // Storage blocked or a broken value: start from the defaults.
    }
    const settings = { ...DEFAULTS, open: false };
    if (SIZES.includes(saved.size)) settings.size = saved.size;
    if (RATES.includes(saved.rate)) settings.rate = saved.rate;
    for (const flag of ["contrast", "spacing", "cursor", "open"]) settings[flag] = saved[flag] === true;
    return settings;
  }

  let settings = load();

  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (error) {
      // Private browsing may refuse storage: the settings still hold on this page.
    }
  }

  /** Classes on <html> (the CSS does the rest) and aria-pressed on every toggle. */
  function apply() {
    for (const size of SIZES) root.classList.toggle(`care-size-${size}`, settings.size === size && size !== 100);
    root.classList.toggle("care-large", settings.size >= 150);
    for (const flag of ["contrast", "spacing", "cursor", "open"]) root.classList.toggle(`care-${flag}`, settings[flag]);
    toggle.setAttribute("aria-expanded", String(settings.open));
    for (const button of panel.querySelectorAll("button[data-care]")) {
      const kind = button.dataset.care;
      let pressed = null;
      if (kind === "size") pressed = settings.size === Number(button.dataset.value);
      else if (kind === "rate") pressed = settings.rate === Number(button.dataset.value);
      else if (kind in DEFAULTS) pressed = settings[kind];
      if (pressed !== null) button.setAttribute("aria-pressed", String(pressed));
    }
  }

  function change(update) {
    settings = { ...settings, ...update };
    apply();
    save();
  }

  toggle.addEventListener("click", () => change({ open: !settings.open }));

  const speech = createSpeech(); // null where the browser cannot speak (the group is hidden too)

  panel.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-care]");
    if (!button) return;
    const kind = button.dataset.care;
    if (kind === "size") change({ size: Number(button.dataset.value) });
    else if (kind === "contrast" || kind === "spacing" || kind === "cursor") change({ [kind]: !settings[kind] });
    else if (kind === "rate") {
      change({ rate: Number(button.dataset.value) });
      if (speech) speech.setRate(settings.rate);
    } else if (kind === "read" && speech) {
      if (speech.active()) speech.stop(); else speech.start(settings.rate);
    } else if (kind === "stop" && speech) speech.stop();
    else if (kind === "reset") {
      if (speech) speech.stop();
      change({ ...DEFAULTS }); // the panel stays open, so focus stays on this button
    }
  });

  // Another tab changed the settings, or the page came back from the back/forward cache.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) { settings = load(); apply(); }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) { settings = load(); apply(); }
  });

  apply();

  /** 语音朗读: the text of <main> read in short pieces, one after the other. Short pieces keep
   *  Chrome from cutting off long utterances and let a change of speed take effect at once. */
  function createSpeech() {
    if (!root.classList.contains("care-tts")) return null;
    const synth = window.speechSynthesis;
    const readButton = panel.querySelector('[data-care="read"]');
    const status = document.getElementById("care-speech-status");
    let pieces = [];
    let index = 0;
    let rate = 1;
    let run = 0; // bumped on every start and stop, so events of an old run are ignored
    let reading = false;

    function voice() {
      const voices = synth.getVoices();
      const lang = (v) => v.lang.replace("_", "-").toLowerCase();
      return voices.find((v) => lang(v) === "zh-cn") || voices.find((v) => lang(v).startsWith("zh")) || null;
    }

    function split(text) {
      const out = [];
      for (const sentence of text.split(/(?<=[。！？；!?\n])/)) {
        const clean = sentence.replace(/\s+/g, " ").trim();
        if (!clean) continue;
        for (let at = 0; at < clean.length; at += 120) out.push(clean.slice(at, at + 120));
      }
      return out;
    }

    function show(on, message) {
      reading = on;
      readButton.setAttribute("aria-pressed", String(reading));
      status.textContent = message;
    }

    function speak(current) {
      if (current !== run) return;
      if (index >= pieces.length) { show(false, "朗读完毕。"); return; }
      const utterance = new SpeechSynthesisUtterance(pieces[index]);
      utterance.lang = "zh-CN";
      utterance.rate = rate;
      const chosen = voice();
      if (chosen) utterance.voice = chosen;
      utterance.onend = () => { if (current === run) { index += 1; speak(current); } };
      utterance.onerror = (event) => {
        if (current !== run || event.error === "interrupted" || event.error === "canceled") return;
        run += 1;
        show(false, "朗读失败：浏览器没有可用的中文语音。");
      };
      synth.speak(utterance);
    }

    function start(newRate) {
      const main = document.getElementById("main");
      pieces = split(main ? main.innerText : "");
      index = 0;
      rate = newRate;
      run += 1;
      synth.cancel();
      show(true, "正在朗读正文。");
      speak(run);
    }

    function stop() {
      run += 1;
      synth.cancel();
      if (reading) show(false, "朗读已停止。");
    }

    function setRate(newRate) {
      rate = newRate;
      if (!reading) return;
      run += 1; // say the current piece again at the new speed
      synth.cancel();
      speak(run);
    }

    window.addEventListener("pagehide", () => { run += 1; synth.cancel(); });
    return { start, stop, setRate, active: () => reading };
  }
})();
