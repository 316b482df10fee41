package main

import (
	"net/http"

	"github.com/civicgraph/civicgraph/server/ui"
)

// exampleQuery opens GraphiQL on the question civicgraph exists to answer.
const exampleQuery = `# Which municipalities presented interoperability cases, and through whom?
# Press the run button (or Ctrl+Enter). The explorer in the sidebar builds
# queries by ticking fields; the docs list every type and filter.
{
  organisations(
    where: {
      kind: { eq: MUNICIPALITY }
      presentedPractices: { some: { topics: { some: { id: { eq: "interoperability" } } } } }
    }
  ) {
    name
    presentedPractices(where: { topics: { some: { id: { eq: "interoperability" } } } }) {
      name
      presentedIn {
        title
        speakers {
          name
          roles { title organisation { name parent { name } } }
        }
      }
    }
  }
}
`

// graphiQL serves the GraphiQL page at / and its assets under /assets/.
func graphiQL() http.Handler {
	return ui.Handler("civicgraph", "/graphql", exampleQuery)
}
