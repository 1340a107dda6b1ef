"""The page as text: stable element ids (`bid`) and a pruned accessibility-style tree.

A script run in the page gives every element a `data-gh-bid` attribute in document order (new
elements get the next free number, so ids stay stable while a page lives) and returns one line per
visible, meaningful node: `[12] button "Submit"`, `[7] textbox "Email" value="a@b.c"`,
`StaticText "Total: 3"`. Hidden nodes, scripts and styles are left out.
"""

from __future__ import annotations

from typing import Any

MAX_TREE_CHARS = 30_000
#: nodes the page script visits at most: a page of 100,000 elements took seconds per read
MAX_TREE_NODES = 50_000

_EXTRACT_TEMPLATE = r"""
(hidden) => {
  // hidden: [real, shown] pairs replaced in every text before it is cut (the env passes the task
  // server's real address, which must never show, not even the part before a cut)
  const swaps = Array.isArray(hidden) ? hidden : [];
  let next = window.__ghNext || 1;
  const lines = [], elements = [];
  const SKIP = new Set(['SCRIPT', 'STYLE', 'HEAD', 'NOSCRIPT', 'TEMPLATE', 'META', 'LINK']);
  const LEAF = new Set(['A', 'BUTTON', 'INPUT', 'TEXTAREA', 'SELECT', 'IMG', 'SUMMARY']);
  const clip = (s, n) => {
    s = String(s || '');
    for (const [real, shown] of swaps) s = s.split(real).join(shown);
    s = s.replace(/\s+/g, ' ').trim();
    return s.length > n ? s.slice(0, n) + '...' : s;
  };
  const q = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  function visible(el) {
    if (el.hidden) return false;
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 || st.display === 'contents';
  }
  function role(el) {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit;
    const t = el.tagName;
    if (t === 'A') return el.hasAttribute('href') ? 'link' : null;
    if (t === 'BUTTON' || t === 'SUMMARY') return 'button';
    if (t === 'SELECT') return 'combobox';
    if (t === 'TEXTAREA') return 'textbox';
    if (t === 'IMG') return 'img';
    if (/^H[1-6]$/.test(t)) return 'heading';
    if (t === 'LI') return 'listitem';
    if (t === 'TR') return 'row';
    if (t === 'TH') return 'columnheader';
    if (t === 'TD') return 'cell';
    if (t === 'TABLE') return 'table';
    if (t === 'FORM') return 'form';
    if (t === 'INPUT') {
      const ty = (el.type || 'text').toLowerCase();
      if (ty === 'hidden') return null;
      if (['button', 'submit', 'reset'].includes(ty)) return 'button';
      if (ty === 'checkbox' || ty === 'radio') return ty;
      if (ty === 'date') return 'date';
      if (ty === 'number') return 'spinbutton';
      if (ty === 'search') return 'searchbox';
      return 'textbox';
    }
    if (el.hasAttribute('data-gh-drag')) return 'draggable';
    if (el.hasAttribute('data-gh-drop')) return 'region';
    return null;
  }
  function name(el, r) {
    const aria = el.getAttribute('aria-label');
    if (aria) return clip(aria, 100);
    if (['textbox', 'checkbox', 'radio', 'combobox', 'date', 'spinbutton', 'searchbox'].includes(r)) {
      if (el.labels && el.labels.length) return clip(el.labels[0].innerText, 100);
      return clip(el.getAttribute('placeholder') || el.getAttribute('name') || '', 100);
    }
    if (r === 'img') return clip(el.getAttribute('alt') || '', 100);
    if (el.tagName === 'INPUT') return clip(el.value, 100);
    if (LEAF.has(el.tagName) || r === 'draggable' || r === 'heading' || r === 'tab') return clip(el.innerText, 100);
    return '';
  }
  // An explicit stack, not recursion: a page nested a few thousand levels deep (display:
  // contents boxes Chromium lays out without crashing) overflowed the JS stack, the page could not
  // be read and the step ended as the hub's infra_error. The walk also stops once the text is
  // past what the observation shows, or after a fixed number of nodes: a page of 100,000 elements
  // took seconds per step, past the read's timeout.
  let chars = 0, nodes = 0, truncated = false;
  const stack = [{list: document.body ? document.body.childNodes : [], i: 0, depth: 0}];
  const emit = (line) => {
    lines.push(line);
    chars += line.length + 1;
    if (chars > MAX_CHARS) truncated = true;
  };
  while (stack.length && !truncated) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) { stack.pop(); continue; }
    const child = top.list[top.i++];
    const depth = top.depth;
    if (++nodes > MAX_NODES) { truncated = true; break; }
    if (child.nodeType === 3) {
      const t = clip(child.textContent, 200);
      if (t) emit('  '.repeat(depth) + 'StaticText ' + q(t));
      continue;
    }
    if (child.nodeType !== 1 || SKIP.has(child.tagName)) continue;
    if (!visible(child)) continue;
    if (!child.hasAttribute('data-gh-bid')) child.setAttribute('data-gh-bid', String(next++));
    const bid = child.getAttribute('data-gh-bid');
    const r = role(child);
    if (!r) { stack.push({list: child.childNodes, i: 0, depth: depth}); continue; }
    const n = name(child, r);
    let line = '  '.repeat(depth) + '[' + bid + '] ' + r + (n ? ' ' + q(n) : '');
    if (child.tagName === 'INPUT' && ['textbox', 'date', 'spinbutton', 'searchbox'].includes(r)) line += ' value=' + q(clip(child.value, 200));
    if (child.tagName === 'TEXTAREA') line += ' value=' + q(clip(child.value, 400));
    if (r === 'checkbox' || r === 'radio') line += child.checked ? ' checked' : ' unchecked';
    if (child.disabled) line += ' disabled';
    if (document.activeElement === child) line += ' focused';
    if (child.getAttribute('aria-selected') === 'true') line += ' selected';
    emit(line);
    elements.push({bid: bid, id: child.id || '', role: r, name: n});
    if (child.tagName === 'SELECT') {
      for (const opt of child.options) {
        if (truncated) break;
        emit('  '.repeat(depth + 1) + 'option ' + q(clip(opt.label, 100)) + (opt.selected ? ' selected' : ''));
      }
      continue;
    }
    if (!LEAF.has(child.tagName) && r !== 'draggable') stack.push({list: child.childNodes, i: 0, depth: depth + 1});
  }
  window.__ghNext = next;
  // the document read (as the env's document key): a screenshot that fails after it is told
  // from one the page spoiled by replacing itself
  const doc = [location.href, performance.timeOrigin];
  return {title: clip(document.title, 300), lines: lines, elements: elements, truncated: truncated, doc: doc};
}
"""
# the walk stops once its text is longer than the observation shows, so the cut is the same
EXTRACT_JS = _EXTRACT_TEMPLATE.replace("MAX_CHARS", str(MAX_TREE_CHARS + 1)).replace(
    "MAX_NODES", str(MAX_TREE_NODES)
)


def format_tree(snapshot: dict[str, Any]) -> str:
    """The tree lines as one text, cut at MAX_TREE_CHARS (or where the page script stopped)."""
    text = "\n".join(snapshot.get("lines", []))
    if len(text) > MAX_TREE_CHARS:
        text = text[:MAX_TREE_CHARS] + "\n[page truncated]"
    elif snapshot.get("truncated"):
        text += "\n[page truncated]"
    return text
