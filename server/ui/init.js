// Starts GraphiQL on the page served by ui.go. It is a file, not an inline
// script, so the page's Content-Security-Policy can be script-src 'self'.
// Settings come from data attributes, which html/template escapes.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var props = {
    fetcher: GraphiQL.createFetcher({ url: root.dataset.endpoint }),
    plugins: [explorer],
    defaultEditorToolsVisibility: true,
  };
  // Without the attribute GraphiQL shows its own welcome text.
  if (root.dataset.defaultQuery !== undefined) {
    props.defaultQuery = root.dataset.defaultQuery;
  }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
