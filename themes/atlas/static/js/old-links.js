// Old WordPress addresses: /?p=ID lands on the home page (GitHub Pages ignores the
// query), an old path the map names but no file answers lands on the 404 page. Both
// look the address up in old-links.json (written by the build from redirects.tsv).
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root") || "";
  var notFound = script.hasAttribute("data-not-found");
  var query = new URLSearchParams(location.search);
  var key = "";
  ["p", "page_id"].forEach(function (name) {
    if (!key && /^\d+$/.test(query.get(name) || "")) { key = name + "=" + query.get(name); }
  });
  if (!key && !notFound) { return; }
  var base = root ? new URL(root + "/", location.href).pathname : "/";
  var path = location.pathname.indexOf(base) === 0 ? location.pathname.slice(base.length) : "";
  try { path = "/" + decodeURIComponent(path); } catch (error) { path = "/" + path; }
  fetch(root + "/old-links.json").then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (links) {
    if (!links) { return; }
    var paths = links.paths || {};
    var target = key ? (links.query || {})[key] : null;
    if (!target && notFound) {
      target = paths[path] || paths[path.replace(/\/?$/, "/")] || paths[path.replace(/\/$/, "")];
    }
    if (target) { location.replace(target); }
  }).catch(function () {});
})();
