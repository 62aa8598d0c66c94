/** The web widget (docs/widget.md): the loader customers' sites include, its frame, and the visitors' API. */

/** `/widget.js`, `/widget/frame` and the frame's files (outside `/api`); `assetsDir` holds the built scripts. */
export { widgetPages } from './widget.page';
/** `/widget/{brand}/conversations`, `/widget/conversation` (+ `/messages`, `/live`) under `/api/v1`. */
export { widgetRoutes } from './widget.routes';
