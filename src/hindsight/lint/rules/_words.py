"""Word lists of the language rules. Each can be extended in the configuration (``words``).

The first names are common given names from many languages, minus those that are also everyday
English or technical words ("Will", "Mark", "Ruby", "Jenkins"), which would make the linter read
"Jenkins broke the build" as blame. Names found in the document itself (authors, owners,
participants, timeline actors) and configured names are added per document.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text block, as a set."""
    return frozenset(text.split())


FIRST_NAMES = words(
    """
    aaron abdul abdullah abigail adam adrian ahmed aisha akira alan albert alejandro alex
    alexa alexander alexandra alexis alfie ali alice alicia alison amanda amelia amir amit
    amy ana andre andrea andreas andrei andrew andy angela anil anita ann anna anne annie
    anthony anton antonio anya arjun arthur ashley astrid aurora ben benjamin beth bethany
    bianca bjorn bob bobby boris brad bradley brandon brenda brian bruce bruno caitlin
    cameron carl carla carlos carmen carol caroline catherine charles charlie charlotte chen
    chloe chris christian christina christine christopher claire clara claudia colin connor
    craig cristina cynthia daisuke dan daniel daniela danielle danny dave david dean deborah
    debbie deepak denise dennis derek diana diego dimitri dmitri dmitry dominic donald donna
    doug douglas duncan dylan ed eddie edward elena eli elias elif elijah elizabeth ella
    ellie emil emily emma emmanuel eric erik erin ethan eva evan evelyn fatima felipe felix
    fernando finn fiona florian francesca francesco francisco fred freddie frederick gabriel
    gabriela gareth gary gavin george georgia gerald giorgio giulia giuseppe gordon graham
    greg gregory gustavo hamza hannah hans harold harriet harry hassan heather hector heidi
    helen helena henrik henry hiroshi hugo hussein ian igor ingrid irene isaac isabel
    isabella isabelle ivan jacob jake james jamie jan jane janet jason javier jean jeff
    jeffrey jennifer jenny jeremy jerome jess jessica jim jimmy joan joanna joe joel johan
    johannes john johnny jon jonas jonathan jordan jorge jose joseph josh joshua juan julia
    julian julie justin kai karen karim karl kate katherine kathryn katie keith kelly ken
    kenji kenneth kevin khalid kim kirsty klaus kristen kyle lars laura lauren leah lee leo
    leon lena liam linda lisa lucas lucia lucy luis luke lukas magnus mandy manuel marco
    marcus margaret maria marie marina mario marta martha martin mary mateo matt matteo
    matthew maya megan mehmet melissa mia michael michelle miguel mike mikhail min ming
    mohamed mohammad mohammed monica muhammad nadia nancy naomi natalia natalie nathan neil
    nicholas nick nicola nicole niels nikhil nikita nina noah noor oleg olga oliver olivia
    omar oscar owen pablo paolo patricia patrick paul paula pedro peter petra phil philip
    philippe pierre pooja priya rachel rahul raj rajesh ralph ramon raphael rebecca ricardo
    richard rick rob robert roberto rohan roman ron ronald rosa ross roy ruth ryan sadia
    sally sam samantha samir samuel sandra sanjay sara sarah sean sebastian sergei sergey
    seth shane sharon shawn simon sofia sonia sophia sophie stefan stefano stephanie stephen
    steve steven stuart susan suresh svetlana takashi tanya tara teresa thomas tim timothy
    tina tobias todd tom tommy tony tracy travis tyler valentina vanessa vera veronica
    victor victoria vijay vikram vincent vladimir walter wei wendy william xavier yan yang
    yasmin yuki yusuf zach zachary zhang zoe
    """
)

PRONOUNS = ("he", "she")

ROLE_NOUNS = (
    "engineer",
    "engineers",
    "developer",
    "developers",
    "dev",
    "operator",
    "admin",
    "administrator",
    "sysadmin",
    "on-call",
    "oncall",
    "on-caller",
    "new hire",
    "hire",
    "intern",
    "contractor",
    "employee",
    "person",
    "user",
    "SRE",
    "DBA",
    "reviewer",
    "manager",
    "responder",
    "analyst",
    "technician",
    "team member",
    "staff member",
    "teammate",
    "colleague",
    "approver",
    "committer",
    "release manager",
)

BARE_ROLES = ("someone", "somebody", "ops", "QA")

SYSTEM_SUBJECTS = words(
    """
    it this that which script scripts job jobs cron disk disks drive service services server
    servers system systems process processes pod pods node nodes cluster clusters container
    containers deploy deployment deployments pipeline pipelines build builds test tests
    check checks probe probes alert alerts alarm alarms monitor monitoring dashboard query
    queries request requests call calls api database db replica replicas primary cache queue
    queues worker workers daemon agent agents controller controllers scheduler load balancer
    balancer router proxy gateway network dns certificate cert config configuration change
    changes migration migrations rollout rollback release version update upgrade patch
    commit code bug fix hook webhook integration tool tooling terraform kubernetes k8s helm
    app application instance instances vm host hosts machine machines library module
    function handler client clients backend frontend endpoint endpoints connection
    connections timeout retry retries mechanism validation validator logic rule rules policy
    policies page pager bot automation upstream downstream provider vendor firewall traffic
    load memory cpu storage volume volumes bucket file files index indexes table tables
    transaction transactions lock locks thread threads loop task tasks feature flag flags
    setting settings
    """
)

FAULT_VERBS = (
    "forgot",
    "forgotten",
    "forgets",
    "ignored",
    "ignores",
    "broke",
    "breaks",
    "missed",
    "messed up",
    "screwed up",
    "botched",
    "bungled",
    "fumbled",
    "caused",
    "failed to",
    "neglected to",
    "omitted to",
    "overlooked",
    "made a mistake",
    "made an error",
    "made the mistake",
)

# "did not X" / "never X" where X is something a person is expected to do.
NEGLECTED_DUTIES = (
    "check",
    "test",
    "verify",
    "validate",
    "notice",
    "read",
    "follow",
    "review",
    "confirm",
    "double-check",
    "look at",
    "bother",
    "pay attention",
    "escalate",
    "monitor",
    "communicate",
    "respond",
    "acknowledge",
)

BLUNDER_ADVERBS = ("accidentally", "mistakenly", "carelessly", "wrongly", "erroneously")

HUMAN_ERROR = (
    "human error",
    "human-error",
    "operator error",
    "human mistake",
    "pilot error",
    "fat-fingered",
    "fat fingered",
    "fat-finger",
    "fat finger",
    "fat-fingering",
    "PEBKAC",
    "PEBCAK",
    "layer 8 issue",
    "layer 8 problem",
    "finger trouble",
)

JUDGEMENT = (
    "careless",
    "carelessly",
    "carelessness",
    "negligent",
    "negligently",
    "negligence",
    "sloppy",
    "sloppiness",
    "lazy",
    "laziness",
    "incompetent",
    "incompetence",
    "reckless",
    "recklessly",
    "recklessness",
    "stupid",
    "stupidity",
    "dumb",
    "idiot",
    "idiotic",
    "moron",
    "clueless",
    "irresponsible",
    "foolish",
    "rookie mistake",
    "amateurish",
    "boneheaded",
)

# What follows "lazy" when it describes software, not people.
LAZY_TECH = (
    "load",
    "loads",
    "loading",
    "loaded",
    "loader",
    "evaluation",
    "eval",
    "init",
    "initialisation",
    "initialization",
    "import",
    "imports",
    "iterator",
    "property",
    "val",
    "static",
    "mode",
    "fetch",
    "fetching",
    "connection",
    "connections",
    "instantiation",
    "allocation",
    "deletion",
    "expiry",
    "expiration",
    "migration",
    "consumer",
    "consumers",
)

MINIMISING = (
    "obviously",
    "it was obvious",
    "it is obvious",
    "it's obvious",
    "of course",
    "trivially",
    "needless to say",
    "everyone knows",
    "it was easy to see",
)

# What may follow "clearly" when it describes how something is written or shown.
CLEARLY_OK = (
    "document",
    "defin",
    "label",
    "stat",
    "mark",
    "communicat",
    "visib",
    "identif",
    "explain",
    "separat",
    "indicat",
    "show",
    "describ",
    "writ",
    "outlin",
    "understo",
    "specif",
    "nam",
    "structur",
    "articulat",
    "distinguish",
    "readab",
    "legib",
    "delineat",
    "see",
    "signal",
    "list",
    "say",
    "said",
    "spell",
    "highlight",
    "call",
    "display",
    "present",
    "express",
    "set out",
)

EMOTIONAL = (
    "disaster",
    "disasters",
    "disastrous",
    "disastrously",
    "catastrophe",
    "catastrophes",
    "catastrophic",
    "catastrophically",
    "unacceptable",
    "embarrassing",
    "embarrassingly",
    "embarrassment",
    "embarrassed",
    "shameful",
    "horrible",
    "horribly",
    "horrendous",
    "horrific",
    "terrible",
    "terribly",
    "awful",
    "nightmare",
    "fiasco",
    "debacle",
    "inexcusable",
    "unforgivable",
    "epic fail",
    "atrocious",
    "pathetic",
    "ridiculous",
    "a total mess",
    "a complete mess",
    "a huge mess",
    "chaotic",
)

LOADED_TIMING = (
    "spent too much time",
    "spent way too much time",
    "spent far too much time",
    "took too long",
    "took far too long",
    "took way too long",
    "took much too long",
    "too slow to respond",
    "too slow to react",
    "too slow to notice",
    "too slow to act",
    "too slow to acknowledge",
    "too slow to escalate",
    "slow to respond",
    "slow to react",
    "slow to notice",
    "slow to acknowledge",
    "slow to escalate",
    "didn't bother",
    "did not bother",
    "dragged their feet",
    "dragged his feet",
    "dragged her feet",
    "sat on the alert",
    "sat on the page",
    "sat on the ticket",
    "sat on it",
)

FINALLY_VERBS = (
    "noticed",
    "acknowledged",
    "responded",
    "realised",
    "realized",
    "reacted",
    "looked",
    "got around to",
    "checked",
    "answered",
    "replied",
    "joined",
    "escalated",
    "showed up",
    "woke up",
    "picked up",
    "paid attention",
    "read",
)

ALERT_NOUNS = (
    "alert",
    "alerts",
    "page",
    "pages",
    "alarm",
    "alarms",
    "warning",
    "warnings",
    "notification",
    "notifications",
    "pager",
    "ping",
    "pings",
)

# Past participles for "should have ___" (regular ones end in -ed and are matched by form).
PARTICIPLES = (
    "been",
    "known",
    "seen",
    "done",
    "caught",
    "taken",
    "gone",
    "run",
    "made",
    "got",
    "gotten",
    "found",
    "thought",
    "written",
    "given",
    "shown",
    "kept",
    "held",
    "told",
    "sent",
    "built",
    "set",
    "put",
    "read",
    "understood",
    "chosen",
    "brought",
    "begun",
    "broken",
    "spoken",
    "hidden",
    "stolen",
    "thrown",
    "forgotten",
    "shut",
    "hit",
    "let",
    "cut",
    "paid",
    "said",
    "led",
    "left",
    "lost",
    "meant",
    "sold",
    "spent",
    "stood",
    "taught",
    "felt",
    "dealt",
    "heard",
    "woken",
    "spun",
    "drawn",
)

# Verbs only people do: "X should have realised" is about a person whatever X is.
PERSON_VERBS = (
    "known",
    "realised",
    "realized",
    "noticed",
    "asked",
    "escalated",
    "paged",
    "waited",
    "double-checked",
    "thought",
    "considered",
    "read",
    "followed",
    "communicated",
    "told",
    "listened",
    "spotted",
)

# "would have ___" that states an expectation or wish.
OPINION_VERBS = (
    "expected",
    "liked",
    "wanted",
    "preferred",
    "hoped",
    "loved",
    "imagined",
    "assumed",
    "thought",
    "guessed",
    "predicted",
    "anticipated",
)

# "could have been ___": a hindsight claim, unless it is about how bad it might have been.
COULD_BEEN_OK = (
    "worse",
    "much worse",
    "far worse",
    "a lot worse",
    "even worse",
    "significantly worse",
    "much larger",
    "larger",
    "bigger",
    "more severe",
    "affected",
    "impacted",
    "exposed",
    "used",
    "exploited",
    "compromised",
    "abused",
    "leaked",
    "stolen",
    "lost",
    "corrupted",
    "possible",
    "better",
)

PERSON_WORDS = words(
    """
    we i you he she they someone somebody nobody everyone everybody anyone team engineer
    engineers developer developers operator operators admin administrator sysadmin on-call
    oncall hire intern contractor employee person people reviewer manager responder
    responders analyst technician teammate teammates colleague colleagues sre dba ops qa
    staff us
    """
)

VAGUE_ACTIONS: tuple[tuple[str, str], ...] = (
    # (phrase, the criterion it fails and how to fix it)
    ("investigate", "not actionable: name the decision or change it should lead to"),
    ("look into", "not actionable: name the decision or change it should lead to"),
    ("explore", "not actionable: name the decision or change it should lead to"),
    ("consider", "not actionable: decide now, or make the decision the action with a date"),
    ("think about", "not actionable: decide now, or make the decision the action with a date"),
    ("be more careful", "not actionable: change the system so that care is not needed"),
    ("be careful", "not actionable: change the system so that care is not needed"),
    ("pay more attention", "not actionable: change the system so that attention is not needed"),
    ("remember to", "not actionable: automate the step or add it to a checklist the tool enforces"),
    ("try to", "not bounded: say what will be done, not what will be attempted"),
    ("improve monitoring", "not specific: name the metric, the threshold and who gets paged"),
    ("better monitoring", "not specific: name the metric, the threshold and who gets paged"),
    ("more monitoring", "not specific: name the metric, the threshold and who gets paged"),
    ("improve alerting", "not specific: name the alert, its condition and who gets paged"),
    ("better alerting", "not specific: name the alert, its condition and who gets paged"),
    ("improve communication", "not specific: name the channel, the message and when it is sent"),
    ("better communication", "not specific: name the channel, the message and when it is sent"),
    ("communicate better", "not specific: name the channel, the message and when it is sent"),
    ("improve documentation", "not specific: name the page and what it will say"),
    ("better documentation", "not specific: name the page and what it will say"),
    ("improve testing", "not specific: name the test and what it will catch"),
    ("more testing", "not specific: name the test and what it will catch"),
    ("better testing", "not specific: name the test and what it will catch"),
    ("improve the process", "not specific: name the step that changes"),
    ("improve process", "not specific: name the step that changes"),
    ("monitor closely", "not bounded: say what is watched, for how long, and what ends it"),
    ("keep an eye on", "not bounded: say what is watched, for how long, and what ends it"),
    ("ensure", "not specific: say what change ensures it"),
    ("make sure", "not specific: say what change makes sure of it"),
    ("revisit", "not bounded: say what will be decided and by when"),
    ("follow up on", "not specific: name the outcome"),
)
