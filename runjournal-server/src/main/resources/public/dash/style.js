// Loads a view's own stylesheet once (so views keep their styles out of the shared app.css) and
// resolves when it is applied, so the view never shows unstyled.
const loaded = new Map();

export function useStyle(href) {
  if (!loaded.has(href)) {
    loaded.set(
      href,
      new Promise((resolve) => {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        link.addEventListener("load", () => resolve());
        link.addEventListener("error", () => resolve());
        document.head.append(link);
      })
    );
  }
  return loaded.get(href);
}
