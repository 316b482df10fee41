package storetest

import "github.com/civicgraph/civicgraph/graph"

// fixture is a small graph whose names exercise folding and ordering:
// accents, case, aliases, a unit inside a unit, talks inside talks.
func fixture() *graph.Dataset {
	ev := func(q string) []graph.Evidence { return []graph.Evidence{{Source: "src", Quote: q}} }
	ent := func(id string, typ graph.EntityType, name, kind string, aliases ...string) graph.Entity {
		return graph.Entity{ID: id, Type: typ, Name: name, Kind: kind, Aliases: aliases, Evidence: ev(name)}
	}
	talk := func(id, name, kind string, order int) graph.Entity {
		e := ent(id, graph.TypeTalk, name, kind)
		e.Order = order
		return e
	}
	rel := func(from string, typ graph.RelType, to, quote string) graph.Relation {
		return graph.Relation{Type: typ, From: from, To: to, Evidence: ev(quote)}
	}
	event := ent("meeting", graph.TypeEvent, "First meeting", "MEETING")
	event.Date = graph.PartialDate{Month: 11, Day: 22}
	event.Description = "A meeting of public-attention spaces."
	return &graph.Dataset{
		Entities: []graph.Entity{
			{ID: "src", Type: graph.TypeSource, Name: "Fixture source", Language: "en", URL: "https://example.org/src",
				Text: "all the quotes"},
			ent("alella", graph.TypeOrganisation, "Àlella", "MUNICIPALITY", "Ajuntament d’Alella"),
			ent("alella-citizen-office", graph.TypeOrganisation, "Alella Citizen Office", "UNIT", "l’Ufficio Servizi al Cittadino"),
			ent("alella-front-desk", graph.TypeOrganisation, "Alella Front Desk", "UNIT"),
			ent("sitges", graph.TypeOrganisation, "Sitges", "MUNICIPALITY"),
			ent("consorci-aoc", graph.TypeOrganisation, "Consorci AOC", "CONSORTIUM", "AOC"),
			ent("anna-gine", graph.TypePerson, "Anna Ginè", ""),
			ent("ana-gines", graph.TypePerson, "Ana Ginés", ""),
			ent("emile-zola", graph.TypePerson, "Émile  Zola", ""),
			ent("marta-arderio", graph.TypePerson, "Marta Arderio", ""),
			ent("role-anna", graph.TypeRole, "head of the front desk", ""),
			ent("role-anna-office", graph.TypeRole, "deputy of the office", ""),
			ent("role-ana", graph.TypeRole, "mayor", ""),
			ent("role-emile", graph.TypeRole, "clerk", ""),
			ent("role-marta", graph.TypeRole, "vice director", ""),
			event,
			talk("talk-opening", "Opening", "PRESENTATION", 1),
			talk("talk-round-table", "Round table", "ROUND_TABLE", 2),
			talk("contribution-sitges", "Sitges' case", "CONTRIBUTION", 2),
			talk("contribution-alella", "The Alella model", "CONTRIBUTION", 1),
			ent("practice-interop", graph.TypePractice, "Interoperability model", "MODEL"),
			ent("practice-portal", graph.TypePractice, "Data portal", "PROJECT"),
			ent("interoperability", graph.TypeTopic, "interoperabilità", "", "interoperability"),
			ent("open-data", graph.TypeTopic, "dati aperti", "", "open data"),
			ent("idcat", graph.TypeService, "idCAT", ""),
		},
		Relations: []graph.Relation{
			rel("alella-citizen-office", graph.RelPartOf, "alella", "office of Alella"),
			rel("alella-front-desk", graph.RelPartOf, "alella-citizen-office", "desk of the office"),
			rel("anna-gine", graph.RelHolds, "role-anna", "Anna, head"),
			rel("anna-gine", graph.RelHolds, "role-anna-office", "Anna, deputy"),
			rel("role-anna", graph.RelIn, "alella-front-desk", "of the front desk"),
			rel("role-anna-office", graph.RelIn, "alella-citizen-office", "of the office"),
			rel("ana-gines", graph.RelHolds, "role-ana", "Ana, mayor"),
			rel("role-ana", graph.RelIn, "alella", "mayor of Alella"),
			rel("emile-zola", graph.RelHolds, "role-emile", "Émile, clerk"),
			rel("role-emile", graph.RelIn, "alella-citizen-office", "clerk of the office"),
			rel("marta-arderio", graph.RelHolds, "role-marta", "Marta, vice director"),
			rel("role-marta", graph.RelIn, "consorci-aoc", "of the AOC"),
			{Type: graph.RelOrganised, From: "consorci-aoc", To: "meeting", As: "ORGANISER", Evidence: ev("organised by the AOC")},
			rel("talk-opening", graph.RelPartOf, "meeting", "opened"),
			rel("talk-round-table", graph.RelPartOf, "meeting", "then a round table"),
			rel("contribution-alella", graph.RelPartOf, "talk-round-table", "round table"),
			rel("contribution-sitges", graph.RelPartOf, "talk-round-table", "round table"),
			rel("marta-arderio", graph.RelModerated, "talk-round-table", "moderated by Marta"),
			rel("marta-arderio", graph.RelSpokeIn, "talk-opening", "Marta opened"),
			rel("anna-gine", graph.RelSpokeIn, "contribution-alella", "Anna presented"),
			rel("ana-gines", graph.RelSpokeIn, "contribution-sitges", "Ana presented"),
			rel("contribution-alella", graph.RelPresents, "practice-interop", "the model"),
			rel("contribution-sitges", graph.RelPresents, "practice-portal", "the portal"),
			rel("practice-interop", graph.RelAbout, "interoperability", "interoperability"),
			rel("practice-portal", graph.RelAbout, "open-data", "data"),
			rel("practice-interop", graph.RelUses, "idcat", "with idCAT"),
		},
	}
}
