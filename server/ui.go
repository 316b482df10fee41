package main

import "net/http"

// graphiQL serves the GraphiQL page.
func graphiQL() http.Handler {
	return http.NotFoundHandler()
}
