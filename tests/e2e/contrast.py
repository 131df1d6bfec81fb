"""WCAG 2.1 AA contrast, measured in the page: every visible text and every state icon of the course.

The script walks the course's elements (``.meso-runner``, ``.meso-progress-view``), takes each
one that holds text of its own and each state icon drawn by ``::before``, and computes the
contrast ratio of its colour against the background actually behind it: the element's and its
ancestors' backgrounds composited from the page down, so a 10% tint over the theme's surface
counts as what it is. Colours are read through a 1x1 canvas, so any CSS colour form
(``color-mix``, ``color(srgb ...)``, theme variables) is compared as the pixels it paints.
Disabled controls are left out, as WCAG does (1.4.3: "part of an inactive user interface
component"). Thresholds: 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold) and for
the icons, which are graphics (1.4.11).
"""

from __future__ import annotations

BELOW_AA = r"""
(roots) => {
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, under) => {  // top composited over an opaque colour
    const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const luminance = (c) => {
    const lin = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let base = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) layers.push(base);
    base = layers.pop();
    while (layers.length) base = over(layers.pop(), base);
    return base;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const inactive = (el) => !!el.closest(':disabled, [aria-disabled="true"], fieldset:disabled')
    || (el.closest('label') && el.closest('.meso-choice')?.querySelector('input:disabled'));
  const describe = (el) => (el.className && typeof el.className === 'string'
    ? '.' + el.className.trim().split(/\s+/).join('.') : el.tagName.toLowerCase());
  const out = [];
  const checked = new Set();
  for (const root of document.querySelectorAll(roots)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (checked.has(el) || !visible(el) || ['STYLE', 'SCRIPT', 'svg', 'IMG'].includes(el.tagName)) continue;
      checked.add(el);
      const s = getComputedStyle(el);
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (own && !inactive(el) && parseFloat(s.opacity) > 0) {
        const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight, 10) >= 700;
        const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
        const bg = background(el); const fg = over(rgba(s.color), bg);
        const r = ratio(fg, bg);
        const text = el.textContent.trim().slice(0, 60);
        if (r < need) out.push({what: describe(el), text, ratio: +r.toFixed(2), need});
      }
      const before = getComputedStyle(el, '::before');
      if (el.classList.contains('meso-icon') && before.content && before.content !== 'none') {
        const bg = background(el); const fg = over(rgba(before.color), bg);
        const r = ratio(fg, bg);
        if (r < 3) out.push({what: describe(el) + '::before', text: before.content, ratio: +r.toFixed(2), need: 3});
      }
    }
  }
  return out;
}
"""
"""Called with a selector of the roots to check; returns ``[{what, text, ratio, need}]`` for each miss."""

ROOTS = ".meso-runner, .meso-progress-view"
