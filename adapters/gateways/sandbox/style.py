"""How the sandbox checkout looks: its inline style sheet and its marks (inline SVG), so the page
fetches nothing. One card, centred on a wide screen and edge to edge on a phone; system fonts."""

from __future__ import annotations

STYLE = """
*{box-sizing:border-box}
html{background:#eef1f5;-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;padding:48px 16px 32px;display:flex;flex-direction:column;
align-items:center;color:#172033;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
.card{width:100%;max-width:440px;background:#fff;border-radius:16px;overflow:hidden;
box-shadow:0 1px 2px rgba(16,24,40,.06),0 16px 40px rgba(16,24,40,.10)}
.merchant{display:flex;align-items:center;gap:12px;padding:18px 24px;border-bottom:1px solid #e8ecf2}
.logo{flex:none;width:40px;height:40px;border-radius:12px;background:#0f766e;color:#fff;
display:flex;align-items:center;justify-content:center;font-weight:700;font-size:18px}
.name{min-width:0;font-weight:600;font-size:17px;overflow-wrap:anywhere}
.badge{flex:none;margin-left:auto;padding:3px 10px;border-radius:999px;background:#fff3d1;
color:#8a5a00;font-size:12px;font-weight:600;letter-spacing:.02em;white-space:nowrap}
.content{padding:24px}
.label{margin:0;color:#5d6679;font-size:14px}
.purpose{margin:2px 0 18px;font-size:17px;font-weight:500;white-space:pre-line;overflow-wrap:anywhere}
.total{margin:2px 0 20px;font-size:34px;font-weight:700;line-height:1.2;letter-spacing:-.01em;
font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
dl{margin:0 0 24px;border-top:1px solid #e8ecf2}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;column-gap:16px;padding:11px 0;
border-bottom:1px solid #e8ecf2;font-size:15px}
dt{flex:none;color:#5d6679}
dd{margin:0 0 0 auto;min-width:0;text-align:right;font-weight:500;font-variant-numeric:tabular-nums;
overflow-wrap:anywhere}
.hint{display:block;color:#5d6679;font-size:13px;font-weight:400}
form{margin:0}
.button{display:block;width:100%;margin:0;padding:14px 20px;border-radius:12px;font:inherit;
font-size:17px;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
.primary{border:0;background:#0f766e;color:#fff}
.primary:hover{background:#115e59}
.secondary{margin-top:10px;border:1px solid #d3d9e3;background:#fff;color:#334055}
.secondary:hover{background:#f5f7fa}
.button:focus-visible,.languages a:focus-visible{outline:3px solid #5eead4;outline-offset:2px}
.note{margin:20px 0 0;color:#5d6679;font-size:13px;text-align:center}
.note svg{margin-right:6px;vertical-align:-2px}
.finished{text-align:center}
.finished dl{text-align:left}
.finished .purpose{margin:-12px 0 20px;color:#5d6679;font-size:15px;font-weight:400}
.mark{width:72px;height:72px;margin:8px auto 16px;border-radius:50%;display:flex;
align-items:center;justify-content:center}
.mark svg{width:36px;height:36px}
.success{background:#dcfce7;color:#15803d}
.cancelled{background:#eef1f5;color:#5d6679}
.failed{background:#fee4e2;color:#b42318}
.refunded{background:#e0ecff;color:#1d4ed8}
.warning{background:#fff3d1;color:#8a5a00}
h1{margin:0 0 6px;font-size:24px;line-height:1.25}
.lead{margin:0 0 20px;color:#5d6679}
.finished .total{font-size:28px}
.languages{display:flex;gap:18px;margin-top:20px;font-size:14px}
.languages a{color:#5d6679;text-decoration:none}
.languages a[aria-current]{color:#172033;font-weight:600}
@media (max-width:480px){
html,body{background:#fff}
body{padding:0 0 24px}
.card{max-width:none;border-radius:0;box-shadow:none}
.merchant{padding:14px 20px}
.content{padding:20px}
.total{font-size:30px}
}
"""

_SVG = ('<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" '
        'stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round">{}</svg>')
MARKS = {
    "success": _SVG.format('<path d="M5 12.5l4.5 4.5L19 7.5"/>'),
    "cancelled": _SVG.format('<path d="M7 7l10 10M17 7L7 17"/>'),
    "failed": _SVG.format('<path d="M7 7l10 10M17 7L7 17"/>'),
    "refunded": _SVG.format('<path d="M9 14L4 9l5-5"/><path d="M4 9h10a6 6 0 010 12h-3"/>'),
    "warning": _SVG.format('<path d="M12 7v6"/><path d="M12 17h.01"/>'),
}
LOCK = ('<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round"><rect x="5" y="11" '
        'width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 018 0v3"/></svg>')
