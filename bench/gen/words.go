package gen

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
)

// The vocabulary synthetic graphs are made of: Catalan-looking names with
// the accents and apostrophes that searches must fold.

type topicDef struct {
	id, name string
	aliases  []string
	broader  string
}

var topicList = []topicDef{
	{"digital-administration", "administració digital", []string{"digital administration"}, ""},
	{TopicInteroperability, "interoperabilitat", []string{"interoperability", "interoperabilità"}, "digital-administration"},
	{TopicDigitalIdentity, "identitat digital", []string{"digital identity", "idCAT"}, "digital-administration"},
	{"electronic-notifications", "notificacions electròniques", []string{"e-NOTUM"}, "digital-administration"},
	{"electronic-registry", "registre electrònic", nil, "digital-administration"},
	{"representation", "representació", []string{"Representa"}, "digital-administration"},
	{"open-data", "dades obertes", []string{"open data"}, "open-government"},
	{"open-government", "govern obert", []string{"open government"}, ""},
	{"transparency", "transparència", nil, "open-government"},
	{"participation", "participació ciutadana", nil, "open-government"},
	{"public-attention", "atenció a la ciutadania", []string{"public attention"}, ""},
	{"appointments", "cita prèvia", nil, "public-attention"},
	{"multichannel", "atenció multicanal", nil, "public-attention"},
	{"digital-divide", "bretxa digital", []string{"digital divide"}, "public-attention"},
	{"accessibility", "accessibilitat", nil, "public-attention"},
	{"simplification", "simplificació administrativa", nil, ""},
	{"paperless", "oficina sense papers", nil, "simplification"},
	{"procurement", "contractació pública", nil, ""},
	{"cybersecurity", "ciberseguretat", nil, "digital-administration"},
	{"data-protection", "protecció de dades", nil, "cybersecurity"},
	{"ai", "intel·ligència artificial", []string{"AI"}, "digital-administration"},
	{"smart-city", "ciutat intel·ligent", []string{"smart city"}, ""},
	{"mobility", "mobilitat", nil, "smart-city"},
	{"environment", "medi ambient", nil, ""},
	{"waste", "gestió de residus", nil, "environment"},
	{"housing", "habitatge", nil, ""},
	{"social-services", "serveis socials", nil, ""},
	{"taxes", "tributs locals", nil, ""},
	{"civil-registry", "padró municipal", nil, "public-attention"},
	{"training", "formació", nil, ""},
}

var serviceNames = []string{
	"idCAT Mòbil", "Representa", "e-NOTUM", "EACAT", "e-TAULER", "Seu electrònica", "Via Oberta",
	"e-FACT", "Carpeta ciutadana", "Valid", "PSIS", "Hèstia", "Sobre digital", "My Space", "Cita prèvia",
	"Enquestes", "Transparència municipal", "Dades obertes locals", "Padró en línia", "Tràmits Oberts",
}

var localServices = []string{
	"Oficina d'Atenció Ciutadana", "Punt d'informació", "Registre general", "Servei d'ocupació",
	"Punt de suport digital", "Arxiu municipal", "Servei d'habitatge", "Oficina de consum",
}

var unitNames = []string{
	"Servei d'Atenció Ciutadana", "Àrea de Serveis Generals i Govern Obert", "Departament de Processos i Qualitat",
	"Oficina d'Atenció Ciutadana", "Espai Connecta", "Secretaria General", "Àrea d'Innovació",
	"Departament de Sistemes d'Informació", "Oficina de Transparència", "Àrea de Serveis Socials",
	"Registre i Padró", "Oficina Municipal d'Informació al Consumidor",
}

var roleTitles = []string{
	"cap del servei", "responsable de l'àrea", "tècnica d'atenció ciutadana", "tècnic de sistemes",
	"directora de l'oficina", "coordinador d'innovació", "secretària general", "regidor de govern obert",
	"cap de departament", "responsable de qualitat", "administrativa de registre", "alcaldessa",
}

var practiceThemes = []string{
	"Model d'atenció especialitzada", "Finestreta única digital", "Cita prèvia multicanal",
	"Promoció de l'idCAT", "Notificacions electròniques per defecte", "Oficina sense papers",
	"Portal de dades de l'atenció", "Simplificació d'ajuts", "Padró en línia", "Assistència a la bretxa digital",
	"Intercanvi de dades entre administracions", "Registre d'entitats", "Representació electrònica",
	"Enquestes de satisfacció", "Xatbot municipal", "Taulell d'anuncis electrònic",
}

var eventNames = []string{
	"Trobada d'espais d'atenció ciutadana", "Jornada de govern obert", "Taller d'administració digital",
	"Congrés de serveis públics locals", "Fòrum d'innovació municipal", "Jornada de l'AOC",
}

var countyNames = []string{
	"de l'Alt Camp", "de l'Alt Empordà", "de l'Alt Penedès", "de l'Alt Urgell", "de l'Alta Ribagorça",
	"de l'Anoia", "del Bages", "del Baix Camp", "del Baix Ebre", "del Baix Empordà", "del Baix Llobregat",
	"del Baix Penedès", "del Barcelonès", "del Berguedà", "de la Cerdanya", "de la Conca de Barberà",
	"del Garraf", "de les Garrigues", "de la Garrotxa", "del Gironès", "del Maresme", "del Moianès",
	"del Montsià", "de la Noguera", "d'Osona", "del Pallars Jussà", "del Pallars Sobirà", "del Pla d'Urgell",
	"del Pla de l'Estany", "del Priorat", "de la Ribera d'Ebre", "del Ripollès", "de la Segarra",
	"del Segrià", "de la Selva", "del Solsonès", "del Tarragonès", "de la Terra Alta", "de l'Urgell",
	"del Vallès Occidental", "del Vallès Oriental",
}

var firstNames = []string{
	"Jordi", "Núria", "Martí", "Anna", "Gemma", "Maite", "Rubén", "Àngel", "Mònica", "Joan", "Montserrat",
	"Pere", "Laia", "Marc", "Mireia", "Òscar", "Sílvia", "Xavier", "Carme", "Ferran", "Elena", "Raquel",
	"Albert", "Teresa", "Josep", "Eulàlia", "Almudena", "Diego", "Marta", "Beatriu", "Dídac", "Ièsica",
}

var surnames = []string{
	"Puig", "Ginè", "Ferrer", "Vidal", "Martínez", "Soler", "Serra", "Font", "Roca", "Pujol", "Casals",
	"Bosch", "Camps", "Vilà", "Rovira", "Coll", "Sala", "Prat", "Riera", "Mas", "Marí", "Gutiérrez",
	"Selva", "Foj", "Belmonte", "Arderiu", "Jericó", "Bruy", "Costa", "Llobet", "Tudela", "Lobato",
}

var (
	roots = []string{
		"Mataró", "Alella", "Sitges", "Garriga", "Cugat", "Llobregat", "Vallès", "Empordà", "Penedès", "Ripoll",
		"Olot", "Vic", "Manresa", "Igualada", "Berga", "Solsona", "Tàrrega", "Cervera", "Balaguer", "Tremp",
		"Sort", "Puigcerdà", "Ripollet", "Badalona", "Terrassa", "Sabadell", "Reus", "Valls", "Falset", "Gandesa",
		"Amposta", "Móra", "Tortosa", "Cambrils", "Salou", "Calafell", "Cubelles", "Òdena", "Abrera", "Esparreguera",
		"Martorell", "Olesa", "Rubí", "Cerdanyola", "Montcada", "Mollet", "Granollers", "Cardedeu", "Llinars", "Palautordera",
		"Arenys", "Canet", "Malgrat", "Blanes", "Lloret", "Tossa", "Palamós", "Begur", "Pals", "Torroella",
		"Figueres", "Roses", "Cadaqués", "Llançà", "Banyoles", "Besalú", "Camprodon", "Ribes", "Vilassar", "Premià",
		"Tiana", "Montgat", "Teià", "Argentona", "Cabrils", "Òrrius", "Dosrius", "Llinars", "Fogars", "Tordera",
		"Hostalric", "Breda", "Arbúcies", "Viladrau", "Seva", "Tona", "Centelles", "Aiguafreda", "Figaró", "Bigues",
		"Lliçà", "Parets", "Montornès", "Vallromanes", "Alpens", "Lluçà", "Prats", "Sallent", "Súria", "Cardona",
	}
	areas = []string{
		"Mar", "Munt", "Baix", "Dalt", "Riu", "Ter", "Segre", "Noguera", "Urgell", "Anoia", "Foix", "Tordera",
		"Fluvià", "Muga", "Ebre", "Francolí", "Gaià", "Besòs", "Cardener", "Llobregós", "Montsant", "Montseny",
		"Garraf", "Ordal", "Prades", "Cadí", "Boumort", "Guilleries", "Collsacabra", "Lluçanès",
	}
	saints       = []string{"Pere", "Joan", "Martí", "Vicenç", "Andreu", "Feliu", "Quirze", "Cugat", "Esteve", "Llorenç", "Fruitós", "Sadurní", "Boi", "Celoni", "Hipòlit", "Julià", "Jaume", "Salvador", "Climent", "Fost", "Adrià", "Genís", "Iscle", "Pol", "Antoni", "Agustí", "Cebrià", "Fructuós", "Guim", "Miquel"}
	femaleSaints = []string{"Maria", "Coloma", "Eulàlia", "Margarida", "Perpètua", "Susanna", "Eugènia", "Cristina", "Fe", "Oliva", "Cecília", "Creu", "Llogaia", "Pau", "Bàrbara"}
	townPrefixes = []string{"Vilanova", "Castellnou", "Torrelles", "Pont", "Puig", "Coll", "Mas", "Pla"}
)

// of joins a place to what it belongs to, eliding "de" before a vowel.
func of(a, b string) string {
	if strings.ContainsRune("AEIOUÀÈÉÍÒÓÚ", []rune(b)[0]) {
		return a + " d'" + b
	}
	return a + " de " + b
}

// placeNames draws n different place names, in a shuffled order.
func placeNames(rng *rand.Rand, n int) []string {
	var all []string
	for _, r := range slices.Compact(slices.Sorted(slices.Values(roots))) {
		all = append(all, r)
		for _, a := range areas {
			all = append(all, of(r, a))
		}
		for _, s := range saints {
			all = append(all, of("Sant "+s, r))
		}
		for _, s := range femaleSaints {
			all = append(all, of("Santa "+s, r))
		}
		for _, p := range townPrefixes {
			all = append(all, of(p, r))
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	if n > len(all) {
		panic("gen: not enough place names")
	}
	return all[:n]
}

// sentences are the corpus's sentences about each type of entity and
// relation; every quote is one of them.
var sentences = map[string][]string{
	"Organisation": {"l'Ajuntament ha presentat la seva experiència", "el consorci coordina els ens locals",
		"la unitat depèn de l'ajuntament", "el servei d'atenció ciutadana de l'ajuntament"},
	"Person":   {"va intervenir en la jornada", "la responsable del servei va explicar el model", "el tècnic va presentar el cas"},
	"Role":     {"responsable del servei d'atenció ciutadana", "cap de l'oficina", "tècnica de l'àrea de govern obert"},
	"Event":    {"la trobada d'espais d'atenció ciutadana va reunir els municipis", "la jornada es va celebrar el 22 de novembre"},
	"Talk":     {"la taula rodona va recollir experiències d'èxit", "la presentació va exposar el cas", "el debat sobre l'idCAT"},
	"Practice": {"un model innovador de relació amb la ciutadania", "un cas d'èxit de simplificació", "el projecte de portal de dades"},
	"Service":  {"el servei de l'AOC", "les notificacions electròniques", "el servei Representa"},
	"Topic":    {"la interoperabilitat", "l'administració digital", "l'atenció a la ciutadania"},

	"HOLDS":      {"responsable del servei", "cap de l'oficina"},
	"SPOKE_IN":   {"va intervenir en la jornada", "va presentar el cas"},
	"MODERATED":  {"moderada per la responsable del servei"},
	"IN":         {"de l'Ajuntament", "del consorci"},
	"PART_OF":    {"la unitat depèn de l'ajuntament", "dins de la jornada", "dins de la taula rodona"},
	"ORGANISED":  {"organitzada pel consorci amb la col·laboració de l'Ajuntament"},
	"HELD_AT":    {"a l'Espai Connecta de l'Ajuntament"},
	"PROVIDES":   {"el servei que ofereix", "posa a disposició dels ens locals"},
	"IMPLEMENTS": {"ha implantat el model", "ha posat en marxa el projecte"},
	"PRESENTS":   {"va presentar el cas", "va exposar el servei"},
	"ABOUT":      {"sobre la interoperabilitat", "sobre l'administració digital", "sobre l'atenció a la ciutadania"},
	"USES":       {"fa servir el servei de l'AOC"},
	"BROADER":    {"dins de l'àmbit de l'administració digital"},
}

// corpus is the synthetic source's text: every sentence, one a line.
func corpus() string {
	var b strings.Builder
	b.WriteString("Corpus sintètic de trobades d'espais d'atenció ciutadana.\n")
	for _, key := range slices.Sorted(maps.Keys(sentences)) {
		for _, s := range sentences[key] {
			b.WriteString(s)
			b.WriteString(".\n")
		}
	}
	return b.String()
}
