// Package data embeds the curated seed dataset, so the service has its data
// wherever its binary runs.
package data

import "embed"

// Seed holds the dataset files (*.yaml) and the source documents they cite
// (sources/).
//
//go:embed *.yaml sources/*.txt
var Seed embed.FS
