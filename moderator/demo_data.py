"""Names and Dutch texts for the demo foundation (moderator.demo).

Everything here is invented. Texts use placeholders filled by the generator:
``{groep}`` (e.g. "groep 5"), ``{juf}`` (e.g. "juf Sanne"), ``{dag}`` (a weekday),
``{kind}`` (a pupil's first name) and ``{kind_vol}`` (a pupil's full name).
"""

from __future__ import annotations

# -- people --------------------------------------------------------------------------------

FIRST_NAMES_GIRLS = (
    "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Eva",
    "Saar", "Lotte", "Noor", "Liv", "Fenna", "Anna", "Lieke", "Nina", "Fleur", "Roos",
    "Isa", "Maud", "Jasmijn", "Elin", "Hiba", "Aya", "Amira", "Ilse", "Femke", "Vera",
    "Lina", "Mirthe", "Evi", "Hanna", "Olivia", "Sofia", "Ivy", "Fay", "Jade", "Yasmin",
)
FIRST_NAMES_BOYS = (
    "Noah", "Sem", "Liam", "Lucas", "Daan", "Finn", "Levi", "Luuk", "Mees", "James",
    "Milan", "Sam", "Bram", "Jesse", "Thijs", "Lars", "Ruben", "Adam", "Mohammed", "Ayoub",
    "Stijn", "Gijs", "Jens", "Teun", "Boaz", "Hugo", "Otis", "Siem", "Ravi", "Youssef",
    "Tim", "Olivier", "Jurre", "Floris", "Dex", "Morris", "Ezra", "Kai", "Vince", "Tygo",
)
FIRST_NAMES = FIRST_NAMES_GIRLS + FIRST_NAMES_BOYS

ADULT_FIRST_NAMES = (
    "Mark", "Linda", "Sandra", "Peter", "Ellen", "Kevin", "Monique", "Dennis", "Karin", "Erik",
    "Nicole", "Jeroen", "Anouk", "Martijn", "Sabine", "Ahmed", "Samira", "Wouter", "Esther", "Bas",
    "Marloes", "Rik", "Chantal", "Jasper", "Ingrid", "Hakan", "Naima", "Thomas", "Manon", "Ruud",
    "Mirjam", "Frank", "Iris", "Vincent", "Priya", "Sjoerd", "Femke", "Arjen", "Lisa", "Patrick",
)

LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
    "Schouten", "Willems", "Kuipers", "Hoekstra", "Verhoeven", "Postma", "Koster", "Prins",
    "El Amrani", "Yilmaz", "Öztürk", "Bouzid", "Nguyen", "Ramdin", "Kaya", "Sahin",
    "Wouters", "Timmermans", "van Beek", "Claassen", "Maas", "Huisman", "Koning", "Sanders",
)

# The two schools of the demo, with their staff. Teachers: (name, "juf"/"meester", groups).
# Group keys: "12" is Groep 1/2, "3" .. "8" the other class groups.
CLASS_GROUPS = (("12", "Groep 1/2"), ("3", "Groep 3"), ("4", "Groep 4"), ("5", "Groep 5"),
                ("6", "Groep 6"), ("7", "Groep 7"), ("8", "Groep 8"))
SCHOOL_GROUP_NAME = "Algemene schoolgroep"

DEMO_SCHOOLS = (
    {
        "key": "klimboom", "name": "OBS De Klimboom", "brin": "12KB", "place": "Eersel",
        "hours": ("08:00", "17:00"),
        "director": "Marieke de Vries",
        "school_admin": "Petra Jansen",
        "mr_member": "Ronald Kok",
        "teachers": (
            ("Ineke Smit", "juf", ("12",)),
            ("Fatima El Amrani", "juf", ("12",)),
            ("Joyce Peters", "juf", ("3",)),
            ("Ruud Verbeek", "meester", ("4",)),
            ("Sanne Bakker", "juf", ("5", "6")),
            ("Tom Hendriks", "meester", ("6",)),
            ("Mehmet Yilmaz", "meester", ("7",)),
            ("Kim van Dijk", "juf", ("8",)),
        ),
        "community": "Ouders De Klimboom",
    },
    {
        "key": "regenboog", "name": "Kindcentrum De Regenboog", "brin": "34RB", "place": "Bladel",
        "hours": ("07:45", "16:45"),
        "director": "Hans Willems",
        "school_admin": "Gerda Maas",
        "mr_member": "Naima Bouzid",
        "teachers": (
            ("Anouk Mulder", "juf", ("12",)),
            ("Lisa de Graaf", "juf", ("3",)),
            ("Bas Kuipers", "meester", ("4",)),
            ("Esther Vos", "juf", ("5",)),
            ("Niels Brouwer", "meester", ("6",)),
            ("Yvonne Dekker", "juf", ("7",)),
            ("Jeroen Smits", "meester", ("8",)),
        ),
        "community": None,
    },
)

# More schools for `moderator demo --posts N` (the benchmark data set).
EXTRA_SCHOOL_NAMES = (
    "De Vlinderboom", "Het Kompas", "De Zonnewijzer", "Sint-Jozef", "De Wegwijzer", "Het Palet",
    "De Vuurvogel", "De Tandem", "Het Klokhuis", "De Speelhoeve", "De Eikenhorst", "Het Baken",
    "De Ontdekking", "De Springplank", "Het Anker", "De Meander", "De Bolster", "Het Talent",
)
EXTRA_SCHOOL_KINDS = ("OBS", "Basisschool", "Kindcentrum", "IKC")
PLACES = ("Eersel", "Bladel", "Reusel", "Hapert", "Vessem", "Duizel", "Hoogeloon", "Casteren",
          "Wintelre", "Knegsel", "Steensel", "Netersel", "Lage Mierde", "Hooge Mierde")

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")

# -- ordinary posts -----------------------------------------------------------------------
# (title, body, photo) for class groups, written by a teacher. ``photo``: the post
# usually comes with a photo of the group at work.

CLASS_POSTS = (
    ("Excursie naar het Natuurmuseum",
     "Beste ouders,\n\nVolgende week {dag} gaan we met {groep} naar het Natuurmuseum. We vertrekken "
     "om 8.45 uur en zijn rond 14.30 uur terug op school. Geef uw kind een lunchpakket en drinken "
     "mee. We zoeken nog drie ouders die willen rijden; laat het even weten in een reactie!\n\n"
     "Groetjes, {juf}", "trip"),
    ("Luizencontrole",
     "Na de vakantie is er weer luizencontrole. Wilt u ervoor zorgen dat uw kind {dag} geen "
     "ingewikkelde vlechten of gel in het haar heeft? Dank namens de luizenouders!", "info"),
    ("Schoolreisje",
     "Het schoolreisje van {groep} gaat dit jaar naar de Beekse Bergen. U ontvangt binnenkort via "
     "de ouderraad meer informatie over de vertrektijden. Zorg voor stevige schoenen en een "
     "regenjas; we gaan bij elk weer!", "trip"),
    ("Informatieavond",
     "Op {dag} is de informatieavond voor de ouders van {groep}. We beginnen om 19.30 uur in ons "
     "lokaal. Ik vertel over het programma van dit jaar, de methodes en de toetsen. Tot dan!", "info"),
    ("Gym",
     "Denken jullie aan de gymspullen? {dag} hebben we gym in de sporthal. Graag gymschoenen met "
     "lichte zolen en een naam in de schoenen.", "info"),
    ("Rapportgesprekken",
     "Deze week krijgen de kinderen hun rapport mee. Vanaf {dag} kunt u via het portaal een tijd "
     "kiezen voor het rapportgesprek. De gesprekken duren tien minuten.", "info"),
    ("Kerstviering",
     "Op donderdag 17 december vieren we kerst met een kerstdiner in de klas. Bij de deur hangt "
     "een lijst waarop u kunt aangeven wat u wilt maken. De kinderen mogen die avond feestelijk "
     "gekleed komen.", "help"),
    ("Hulpouders gevraagd",
     "Voor het knutselen van de lampionnen zoeken we nog twee hulpouders op {dag}middag van "
     "13.15 tot 14.30 uur. Wie kan er helpen? Reageer hieronder.", "help"),
    ("Wat een week!",
     "Wat een fijne week hebben we gehad in {groep}. We hebben geleerd over de herfst, kastanjes "
     "gezocht in het park en een herfstgedicht geschreven. Fijn weekend allemaal!", "photo"),
    ("Tafels oefenen",
     "Deze week zijn we begonnen met de tafels van 6 en 7. Thuis oefenen helpt echt: vijf minuten "
     "per dag is al genoeg. De kinderen kunnen met hun eigen inlog oefenen op de computer.", "info"),
    ("Bibliotheek",
     "{dag} gaan we naar de bibliotheek. Wilt u ervoor zorgen dat de geleende boeken weer mee "
     "naar school gaan?", "info"),
    ("Sinterklaas",
     "De Sint komt op 4 december bij ons op school! De surprises voor de lootjes moeten uiterlijk "
     "{dag} op school zijn. Het afgesproken bedrag is vijf euro.", "info"),
    ("Fruitdagen",
     "Een herinnering: woensdag, donderdag en vrijdag zijn onze fruitdagen. Geef uw kind dan een "
     "stuk fruit of groente mee voor de kleine pauze.", "info"),
    ("Kijkmiddag",
     "{dag} na schooltijd is er kijkmiddag. De kinderen laten u graag zien waar ze de afgelopen "
     "weken aan gewerkt hebben. U bent welkom van 14.15 tot 15.00 uur.", "info"),
    ("Studiedag",
     "Let op: {dag} is er een studiedag voor het team. Alle kinderen zijn die dag vrij.", "info"),
    ("Spreekbeurten",
     "Na de herfstvakantie beginnen de spreekbeurten. Het rooster hangt in de klas. Helpen bij het "
     "oefenen mag natuurlijk, maar laat uw kind vooral zelf vertellen.", "info"),
    ("Gevonden voorwerpen",
     "In de klas ligt een blauwe gymtas met gymschoenen maat 31, zonder naam. Van wie is deze? "
     "Hij staat bij de kapstok.", "info"),
    ("Proefjes",
     "Vandaag hebben we proefjes gedaan met water, zout en ijs. De kinderen waren echte "
     "onderzoekers!", "photo"),
    ("Schoolfotograaf",
     "{dag} komt de schoolfotograaf. Wilt u ook een foto van broertjes en zusjes samen? Geef dat "
     "dan door aan de administratie.", "info"),
    ("Herfstwandeling",
     "Wat hebben we genoten van de herfstwandeling in het bos. De kinderen vonden paddenstoelen, "
     "eikels en zelfs een egel!", "photo"),
    ("Nieuw thema",
     "We beginnen deze week met het thema 'Wonen'. Heeft u thuis oude dozen, wc-rolletjes of "
     "stukjes stof? Die kunnen we goed gebruiken om huizen te bouwen.", "help"),
    ("Voorleeswedstrijd",
     "{dag} is de voorronde van de voorleeswedstrijd in de klas. Alle kinderen lezen een stukje "
     "voor uit hun favoriete boek. Spannend!", "info"),
    ("Bezoek brandweer",
     "Vandaag kwam de brandweer op bezoek. De kinderen mochten in de brandweerauto zitten en "
     "leerden wat je moet doen als het rookalarm afgaat.", "photo"),
    ("Regenkleding",
     "Het wordt een natte week. Geef uw kind regenkleding en eventueel laarzen mee, we gaan in de "
     "pauze gewoon naar buiten.", "info"),
    ("Topografie",
     "Volgende week {dag} is de topografietoets over de provincies van Nederland. Het oefenblad "
     "zit in de map van uw kind.", "info"),
    ("Oudergesprekken",
     "In de week van {dag} staan de oudergesprekken gepland. U kunt zich inschrijven via het "
     "portaal. Lukt geen enkele tijd? Stuur me dan een persoonlijk bericht.", "info"),
    ("Knutselmiddag",
     "Wat een mooie kunstwerken zijn er vandaag gemaakt! Ze hangen in de gang, kom gerust kijken "
     "bij het ophalen.", "photo"),
    ("Sportdag",
     "{dag} is de sportdag op het sportpark. Graag sportkleding aan, een petje op en een bidon "
     "mee. We zoeken nog vier ouders die een onderdeel willen begeleiden.", "help"),
    ("Verjaardagen",
     "Een kleine afspraak over trakteren: houd het klein en liefst gezond. Bij jarige kinderen "
     "zingen we in de kring en mag de jarige de klassen rond.", "info"),
    ("Kinderboekenweek",
     "De Kinderboekenweek is begonnen! Neem gerust een favoriet boek mee van thuis om aan de klas "
     "te laten zien.", "info"),
)

# Posts in the school group, by the director (or the MR member, when marked "mr").
SCHOOL_POSTS = (
    ("Nieuwsbrief november",
     "Beste ouders,\n\nDe nieuwsbrief van deze maand staat in het portaal. Daarin onder andere: "
     "de data van de kerstviering, het nieuwe schoolplein en de uitslag van de "
     "oudertevredenheidspeiling.\n\nMet vriendelijke groet, de directie", "director"),
    ("Parkeren bij school",
     "Een dringend verzoek: parkeer niet op de stoep voor de school en laat de kiss-and-ride-"
     "strook vrij. Zo blijft het veilig voor alle kinderen die lopend of op de fiets komen.",
     "director"),
    ("Nieuwe collega",
     "Met ingang van volgende week versterkt een nieuwe onderwijsassistent ons team. Zij werkt op "
     "maandag, dinsdag en donderdag in de onderbouw. Van harte welkom!", "director"),
    ("Schoolplein",
     "Het nieuwe schoolplein is bijna klaar. {dag} wordt het groen aangeplant; daarna mag er weer "
     "volop gespeeld worden.", "director"),
    ("Vakantierooster",
     "Het vakantierooster voor het komende schooljaar is vastgesteld. U vindt het in de "
     "schoolgids en in de agenda van het portaal.", "director"),
    ("Vergadering medezeggenschapsraad",
     "{dag} vergadert de medezeggenschapsraad om 19.30 uur in de teamkamer. Ouders zijn welkom om "
     "het openbare deel bij te wonen. De agenda staat in het portaal.", "mr"),
    ("Ouderbijdrage",
     "De vrijwillige ouderbijdrage wordt gebruikt voor de schoolreisjes, de Sinterklaasviering en "
     "de kerstviering. Binnenkort ontvangt u hierover een brief van de ouderraad.", "mr"),
    ("Griep",
     "Veel kinderen en collega's zijn op dit moment verkouden of grieperig. Als uw kind koorts "
     "heeft, houd het dan thuis en meld het 's ochtends voor half negen af.", "director"),
    ("Lichtjesavond",
     "Op {dag} houden we de lichtjesavond op het plein. Kinderen en ouders zijn vanaf 18.00 uur "
     "welkom; er is warme chocolademelk.", "director"),
    ("Verkeersveiligheid",
     "Nu het vroeg donker wordt: controleer samen met uw kind of de fietsverlichting het doet. De "
     "wijkagent komt binnenkort de fietsen controleren.", "director"),
)

# Hard negatives: innocent texts a careless filter would flag. Each must stay unflagged.
# (title, body, who) with who one of "director", "teacher", "parent_post", "parent_comment".
HARD_NEGATIVES = (
    ("Collecte KWF Kankerbestrijding",
     "Deze week lopen kinderen van groep 8 mee met de collecte van KWF Kankerbestrijding. Ze "
     "hebben een collectebus en een legitimatie bij zich. Dank voor uw gift!", "director"),
    ("Pas op: ingang dicht",
     "Pas op: de ingang aan de Lindelaan is deze week dicht vanwege werkzaamheden aan het riool. "
     "Gebruik de ingang bij het schoolplein.", "director"),
    (None, "Ik sla de ouderavond deze keer over, we zijn op vakantie. Kan ik de presentatie "
     "ergens nalezen?", "parent_comment"),
    ("Fiets te leen",
     "Wij hebben een kinderfietsje van 20 inch over. Wie tijdelijk een fiets nodig heeft voor "
     "het verkeersexamen: gratis te leen, stuur me een berichtje.", "parent_post"),
    ("Schoolzwemmen",
     "Vergeet {dag} de zwemtas niet: zwemkleding, een handdoek en een kam. Sieraden blijven thuis.",
     "teacher"),
    ("Feesten in de wereld",
     "Bij wereldoriëntatie leren we deze weken over feesten in verschillende geloven: het "
     "Suikerfeest, Chanoeka, Divali en Kerstmis. De kinderen vertellen ook over hun eigen "
     "feesten.", "teacher"),
    ("EHBO-les",
     "Vandaag kregen de kinderen EHBO-les: wat doe je bij een bloedneus, een brandwond of een "
     "bijensteek? Ze hebben elkaar prachtig verbonden.", "teacher"),
    (None, "Wat een bom energie hadden ze vandaag, ze sliepen allemaal vroeg haha!",
     "parent_comment"),
    ("Kleding voor de kledingbank",
     "De kledingbank in het dorp zoekt winterjassen in kindermaten. Er staat tot vrijdag een doos "
     "bij de ingang; het is gratis en voor iedereen.", "director"),
    (None, "Mijn zoon vond de gymles geweldig, hij is kapot maar heel blij!", "parent_comment"),
    (None, "Ik ben zo gek op dit soort uitjes, dank voor het organiseren!", "parent_comment"),
)

# Community-group posts by parents (allowed content).
PARENT_POSTS = (
    ("Carpoolen naar het zwembad",
     "Wie wil er {dag} samen carpoolen naar het zwembad? Ik heb nog twee plekken over."),
    ("Oppas gezocht",
     "Wij zoeken iemand die op {dag}middag af en toe kan oppassen, misschien een ouder van school "
     "die in de buurt woont? Stuur me gerust een berichtje."),
    ("Speelafspraakje",
     "Mijn dochter vraagt steeds naar een speelafspraak met kinderen uit de klas. Wie heeft er "
     "{dag} zin in een middagje in het park?"),
    ("Sint-Maartenoptocht",
     "Gaan er meer ouders mee met de Sint-Maartenoptocht door het dorp? We verzamelen om 17.30 uur "
     "bij de kerk."),
    ("Gevonden: sleutelbos",
     "Bij het hek is een sleutelbos gevonden met een rode sleutelhanger. Hij ligt bij de "
     "administratie."),
)

# Ordinary comments by parents and replies by the teacher, per kind of post.
PARENT_COMMENTS = {
    "info": ("Dank voor de herinnering!", "Helemaal goed, we zorgen ervoor.", "Duidelijk, dank je wel!",
             "Top, staat in de agenda.", "Geldt dit ook voor de kinderen die overblijven?",
             "Moeten ze zelf iets meenemen?", "Fijn dat het zo duidelijk is uitgelegd."),
    "help": ("Ik meld me aan als hulpouder.", "Ik kan {dag} helpen, laat maar weten hoe laat.",
             "Ik kan helaas niet, volgende keer graag!",
             "Is er een lijst waar we ons op kunnen schrijven?",
             "Mijn man kan helpen, hij is die dag vrij."),
    "trip": ("Ik kan rijden, ik heb plek voor drie kinderen.", "Hoe laat zijn ze terug?",
             "Moeten ze ook regenkleding meenemen?", "Wat leuk! Mijn zoon heeft er veel zin in.",
             "Ik kan helaas niet rijden, de volgende keer wel.",
             "Mogen ze een klein beetje zakgeld meenemen?"),
    "photo": ("Wat leuk!", "Dank je wel voor de foto's, {juf}!",
              "Super, mijn zoon heeft er zo van genoten.",
              "Mijn dochter praat er thuis nog steeds over.", "Wat zien ze er enthousiast uit.",
              "Prachtig gedaan, jongens en meiden!"),
    "school": ("Dank voor de informatie.", "Goed dat dit nog eens gezegd wordt.",
               "Fijn, dank jullie wel!", "Wat een mooi initiatief."),
    "community": ("Ik heb ook interesse!", "Ik stuur je een berichtje.", "Leuk, wij komen ook!",
                  "Dank je, goed om te weten."),
}
TEACHER_REPLIES = {
    "info": ("Nee hoor, wij zorgen voor alles.", "Ja, dat geldt voor alle kinderen.",
             "Fijn, dank je wel!"),
    "help": ("Dank je wel, ik zet je op de lijst!",
             "Fijn! Ik stuur je een persoonlijk berichtje met de details."),
    "trip": ("Ze zijn rond half drie terug.", "Dank je wel, ik zet je op de lijst!",
             "Regenkleding is handig, het wordt wisselvallig.",
             "Zakgeld is niet nodig, wij zorgen voor iets lekkers."),
    "photo": ("Dank je wel, ze hebben ook echt hun best gedaan!", "Fijn om te horen!"),
}

# -- texts that break a rule --------------------------------------------------------------
# reason -> list of texts (comments by a parent unless the generator decides otherwise).

VIOLATIONS = {
    "abuse": (
        "Wat een kutschool is dit zeg. Alweer geen gym en niemand die het even laat weten.",
        "{juf} is echt een klootzak, laat mijn zoon de hele pauze binnen zitten voor niks.",
        "Stelletje amateurs. Die hele directie is een stel idioten.",
        "Hou toch je bek over die luizencontrole, ga je eigen kinderen maar controleren.",
    ),
    "discrimination": (
        "Sinds al die buitenlanders hier op school zitten is het niveau ingestort. Die horen hier "
        "niet thuis.",
        "Dat mijn dochter naast zo'n kind met een hoofddoek moet zitten vind ik echt niet normaal.",
        "Gehandicapte kinderen horen op een speciale school, niet in een normale klas.",
    ),
    "threat": (
        "Ik weet waar je woont, ik kom verhaal halen.",
        "Als mijn zoon nog één keer wordt gepest, sla ik die vader zelf in elkaar.",
        "Pas maar op, juf. Je gaat hier spijt van krijgen, ik sta morgen bij het hek.",
    ),
    "sexual": (
        "Die nieuwe juf van groep 7 is wel een lekker ding, daar wil ik wel eens privéles van 😉",
        "Met zo'n strak sportbroekje mag de meester mij ook wel eens komen ophalen, hihi.",
        "Wie heeft er zin in een avondje zonder kinderen? 😏 Stuur me maar een privébericht, "
        "dames.",
    ),
    "commercial": (
        "Ik verkoop Tupperware vanuit huis! Voor ouders van school 20% korting, stuur me een "
        "appje: 06-12345678.",
        "Te koop: kinderfiets 20 inch, nauwelijks gebruikt, €45. Ophalen in de Beukenlaan.",
        "Nieuw in het dorp: mijn nagelstudio! Met de code SCHOOL10 krijg je 10% korting op je "
        "eerste behandeling. Kijk op www.nagelsbylinda.nl",
    ),
    "political_religious": (
        "Vergeet niet woensdag te gaan stemmen! Stem op lijst 3, alleen die partij komt op voor "
        "onze kinderen.",
        "Jezus houdt van jou! Kom zondag naar onze kerk aan de Dorpsstraat, de kinderen zijn welkom "
        "bij de kinderdienst.",
        "Teken allemaal de petitie tegen het azc in ons dorp en deel dit met alle ouders!",
    ),
    "negative": (
        "Eerlijk gezegd is {groep} dit jaar een drama. De juf heeft de klas totaal niet onder "
        "controle en de kinderen leren niks.",
        "Heeft iemand anders ook zo'n slechte ervaring met deze school? Ik haal mijn kinderen er "
        "zo snel mogelijk af.",
        "Ik hoor van andere ouders dat de meester vaak te laat is en de kinderen alleen in de klas "
        "laat. Schandalig.",
    ),
    "individual_child": (
        "{kind} was vandaag weer erg onrustig en heeft tijdens het rekenen een ander kind "
        "geslagen. Willen de ouders van {kind} contact met mij opnemen?",
        "Weet iemand waarom {kind_vol} nooit op verjaardagen komt? Mijn dochter vraagt er steeds "
        "naar.",
        "Kan {kind} voortaan ergens anders zitten? Mijn zoon wordt steeds afgeleid.",
    ),
    "confidential": (
        "Ter info voor de andere ouders: {kind} krijgt sinds deze week Ritalin voor de ADHD, dus "
        "als het wat stiller is weten jullie waarom.",
        "De intern begeleider is ingeschakeld en er loopt een melding bij Veilig Thuis over de "
        "thuissituatie van {kind_vol}.",
        "Voor de zwemles: het BSN van {kind} is 111222333, kan iemand dat doorgeven aan de "
        "administratie?",
        "Houd er rekening mee dat {kind} net de diagnose autisme heeft gekregen en dat de ouders "
        "gaan scheiden.",
    ),
}

# Report notes per reason, as a parent would write them.
REPORT_NOTES = {
    "abuse": ("Dit is gewoon schelden, hoort hier niet thuis.", "Grof taalgebruik naar de juf."),
    "discrimination": ("Discriminerend, ik schrik hiervan.",
                       "Dit kan echt niet, er zitten kinderen met een hoofddoek in de klas."),
    "threat": ("Dit is een bedreiging aan het adres van de juf. Graag direct verwijderen!",
               "Ik voel me hier niet veilig bij."),
    "sexual": ("Ongepast en seksueel getint over de juf.", "Dit hoort niet op een schoolportaal."),
    "commercial": ("Reclame.", "Verkoop hoort niet in de groep."),
    "political_religious": ("Verkiezingspropaganda hoort niet op het schoolportaal.",
                            "Dit is een openbare school, geen kerk."),
    "negative": ("Hier wordt over de juf gepraat in plaats van met haar. Niet netjes.",
                 "Heel negatief over de school, dit helpt niemand."),
    "individual_child": ("Dit gaat over één kind, dat hoort niet in de groep.",
                         "Waarom wordt dit kind hier zo te kijk gezet?"),
    "confidential": ("Medische informatie over een kind hoort hier niet!",
                     "Dit is privé-informatie over een gezin."),
    # The pupils in the photos are boys and girls: these notes name neither, so they agree
    # with whichever pupil the report is about.
    "photo_consent": ("Wij hebben dit jaar geen toestemming gegeven voor foto's van ons kind, "
                      "toch staat het erop.",
                      "Ons kind mag niet op foto's in het portaal."),
    "swimwear": ("Kinderen in zwemkleding op het portaal, dat lijkt me niet de bedoeling.",),
    "objection": ("Ons kind staat op deze foto en wil dat echt niet. Wilt u de foto "
                  "verwijderen?",
                  "Ons kind schaamt zich voor deze foto, graag weghalen."),
    "other": ("Deze ouder stuurt mijn kind ook berichten via Instagram, ik vind dit niet prettig.",
              "Volgens mij klopt de datum niet, nu raken ouders in de war.",
              "Ik weet niet goed onder welke reden dit valt, maar het voelt niet goed."),
}

PHOTO_FILES = ("IMG_{n:04d}.jpg", "klas_{n:03d}.jpg", "foto-{n}.jpeg", "DSC{n:05d}.JPG")


def school_holidays(start: int) -> list[tuple[str, str, str]]:
    """(first day, last day, name) of the demo schools' holidays in school year
    ``start``-``start + 1`` (in the manner of the Dutch regional schedule; invented)."""
    nxt = start + 1
    return [
        (f"{start}-10-17", f"{start}-10-25", "Herfstvakantie"),
        (f"{start}-12-19", f"{nxt}-01-03", "Kerstvakantie"),
        (f"{nxt}-02-13", f"{nxt}-02-21", "Voorjaarsvakantie"),
        (f"{nxt}-04-02", f"{nxt}-04-05", "Pasen"),
        (f"{nxt}-04-24", f"{nxt}-05-09", "Meivakantie"),
        (f"{nxt}-05-13", f"{nxt}-05-14", "Hemelvaart"),
        (f"{nxt}-05-24", f"{nxt}-05-24", "Pinksteren"),
        (f"{nxt}-07-17", f"{nxt}-08-29", "Zomervakantie"),
    ]
