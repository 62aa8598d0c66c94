/**
 * The frame's stylesheet, served from Keepdesk's origin (`/widget/frame.css`) because the frame's CSP allows
 * no inline style. Colours come in as custom properties the frame's script sets through CSSOM.
 */
export const FRAME_STYLE = `
:root{--kd-primary:#1864ab;--kd-text:#ffffff;color-scheme:light}
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:transparent;height:100%}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1b1e;overflow:hidden}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button,input,textarea{font:inherit}
:focus-visible{outline:3px solid #f08c00;outline-offset:2px}
.launcher{position:absolute;bottom:8px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;
  background:var(--kd-primary);color:var(--kd-text);box-shadow:0 2px 8px rgba(0,0,0,.3);font-size:28px;font-weight:700}
.launcher{right:8px}
[data-position="bottom-left"] .launcher{right:auto;left:8px}
.launcher .badge{position:absolute;top:2px;right:2px;width:14px;height:14px;border-radius:50%;background:#e03131;
  border:2px solid #fff}
.panel{position:absolute;inset:0;display:flex;flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;
  box-shadow:0 4px 16px rgba(0,0,0,.25)}
.head{display:flex;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:var(--kd-primary);
  color:var(--kd-text)}
.head h1{font-size:1.05rem;margin:0}
.close{background:transparent;border:0;color:inherit;font-size:1.6rem;line-height:1;cursor:pointer;
  min-width:2.5rem;min-height:2.5rem}
.tabs{display:flex;border-bottom:1px solid #dee2e6}
.tabs [role=tab]{flex:1;background:#fff;border:0;border-bottom:3px solid transparent;padding:.6rem .25rem;
  cursor:pointer;color:#495057;font-weight:600;min-height:2.75rem}
.tabs [role=tab][aria-selected=true]{color:#1a1b1e;border-bottom-color:var(--kd-primary)}
.pane{flex:1;overflow:auto;padding:1rem}
label{display:block;font-weight:600;margin:.6rem 0 .25rem}
input,textarea{width:100%;padding:.5rem .6rem;border:1px solid #868e96;border-radius:8px;background:#fff;color:#1a1b1e}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#c92a2a}
textarea{resize:vertical}
.row{display:flex;gap:.5rem}
.row input{flex:1}
button.primary{background:var(--kd-primary);color:var(--kd-text);border:0;border-radius:8px;padding:.55rem 1rem;
  font-weight:600;cursor:pointer;min-height:2.5rem;margin-top:.6rem}
.row button.primary{margin-top:0}
button.primary:disabled{opacity:.6;cursor:default}
button.link{background:none;border:0;padding:0;color:var(--kd-primary);text-decoration:underline;cursor:pointer;
  font-weight:600}
.status{color:#495057;min-height:1.2em;margin:.5rem 0}
.status.error{color:#c92a2a}
.results{list-style:none;margin:0;padding:0}
.results li{border-bottom:1px solid #f1f3f5;padding:.6rem 0}
.results a{color:var(--kd-primary);font-weight:600}
.results p{margin:.2rem 0 0;color:#495057;font-size:.9rem}
.conv-status{margin:0 0 .5rem;color:#495057;font-size:.9rem}
.messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.5rem}
.messages li{max-width:85%;padding:.5rem .75rem;border-radius:12px;background:#f1f3f5;align-self:flex-start}
.messages li.visitor{align-self:flex-end;background:var(--kd-primary);color:var(--kd-text)}
.messages .who{display:block;font-size:.75rem;opacity:.8}
.messages .text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
`;
