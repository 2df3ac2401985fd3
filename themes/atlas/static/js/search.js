// Search page: query the Pagefind index of this page's language and list the results.
// Labels come from the page (data-msg-* attributes, translated by the theme's
// catalogs); result text is put into the page as text, never as markup.

// Module scripts have no document.currentScript: find the tag by its data.
const script = document.querySelector("script[data-bundle]");
const settings = script.dataset;
const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const numbers = new Intl.NumberFormat(settings.locale || undefined);
const MAX_RESULTS = 20;

let pagefind = null;
let latest = 0;

async function loadPagefind() {
  if (!pagefind) {
    // The bundle's folder gives Pagefind its base URL, so result links keep a
    // project path (https://user.github.io/project/) without configuration.
    pagefind = await import(`${settings.bundle}pagefind.js`);
    await pagefind.init();
  }
  return pagefind;
}

// Pagefind's excerpt is escaped text with <mark> around the matched words:
// rebuild it as text nodes and <mark> elements so no markup from an article can
// reach the page.
function excerptNodes(excerpt) {
  const decoder = document.createElement("textarea");
  const nodes = [];
  excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const marked = part.startsWith("<mark>") && part.endsWith("</mark>");
    decoder.innerHTML = marked ? part.slice(6, -7) : part;
    const text = document.createTextNode(decoder.value);
    if (marked) {
      const mark = document.createElement("mark");
      mark.append(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
  });
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "article-card search-result";
  const heading = document.createElement("h2");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "meta";
    date.textContent = data.meta.date;
    item.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "summary";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(excerpt);
  return item;
}

async function run(query) {
  const ticket = ++latest;
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
  if (!query) {
    status.textContent = "";
    list.replaceChildren();
    return;
  }
  status.textContent = settings.msgSearching;
  try {
    const engine = await loadPagefind();
    const search = await engine.search(query);
    const found = await Promise.all(
      search.results.slice(0, MAX_RESULTS).map((result) => result.data()),
    );
    if (ticket !== latest) return; // a newer query has started meanwhile
    list.replaceChildren(...found.map(resultItem));
    status.textContent = search.results.length
      ? settings.msgCount.replace("{count}", numbers.format(search.results.length))
      : settings.msgNone;
  } catch (error) {
    if (ticket !== latest) return;
    list.replaceChildren();
    status.textContent = settings.msgError;
    console.error("search:", error);
  }
}

let timer = 0;
input.addEventListener("input", () => {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => run(input.value.trim()), 200);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(timer);
  run(input.value.trim());
});

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial.trim());
}
