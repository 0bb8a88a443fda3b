"""Texts for `manage.py seed_demo`: realistic ideas in English and Spanish."""

OPEN_CAMPAIGN = {
    "title": "How should our mobile app help you save?",
    "slug": "mobile-savings",
    "summary": "Tell us what would make saving money with our app effortless.",
    "categories": ["Budgeting", "Savings goals", "Notifications", "Security", "Accessibility"],
}
UPCOMING_CAMPAIGN = {
    "title": "The branch of the future",
    "slug": "branch-of-the-future",
    "summary": "What should a visit to one of our branches feel like in 2030?",
    "categories": ["Spaces", "Services", "Opening hours"],
}
CLOSED_CAMPAIGN = {
    "title": "Ideas para mejorar la atención al cliente",
    "slug": "atencion-al-cliente",
    "summary": "Cómo podemos atenderte mejor por teléfono, chat y en persona.",
    "categories": ["Chat", "Teléfono", "Oficinas"],
}

# (title, description, category index, tags)
OPEN_IDEAS = [
    (
        "Round up card purchases into a savings pot",
        "Every time I pay by card, round the amount up to the next euro and move the difference into a savings pot. Let me choose the pot and pause it when money is tight.",
        1,
        ["round-up", "automation"],
    ),
    (
        "Weekly spending summary on Sunday evening",
        "A short notification every Sunday with what I spent this week by category, compared with my average. **Short** and actionable, not a wall of charts.",
        2,
        ["summary"],
    ),
    (
        "Savings goals with a photo and a deadline",
        'Let me create a goal ("Trip to Lisbon"), add a photo and a date, and show how much I need to put aside each month to get there.',
        1,
        ["goals"],
    ),
    (
        "Warn me before a subscription renews",
        "Detect recurring payments and notify me three days before they renew, with a one-tap link to review or cancel.",
        2,
        ["subscriptions"],
    ),
    (
        "Monthly budget per category with gentle alerts",
        "Set a monthly limit for groceries, restaurants, transport… and get a gentle heads-up at 80% instead of a red alarm at 100%.",
        0,
        ["budget"],
    ),
    (
        "Shared savings pot with my partner",
        "A pot two people can contribute to and both can see, with a history of who added what.",
        1,
        ["shared", "goals"],
    ),
    (
        "Larger text and high-contrast mode",
        "Respect the phone's text size and offer a high-contrast theme. My father cannot read the balance today.",
        4,
        ["a11y"],
    ),
    (
        "Face ID for transfers under 50 euros",
        "Ask for Face ID or fingerprint only, no SMS code, for small transfers to people I already paid before.",
        3,
        ["biometrics"],
    ),
    (
        "Predict my balance at the end of the month",
        "Use my usual income and recurring payments to predict the balance on the last day of the month.",
        0,
        ["forecast"],
    ),
    (
        "Savings challenges: 52-week challenge",
        "Built-in challenges like the 52-week challenge, with reminders and a streak counter.",
        1,
        ["gamification"],
    ),
    (
        "Freeze my card from the lock screen",
        "A widget to freeze and unfreeze the card without opening the app, in case I lose my wallet.",
        3,
        ["card", "widget"],
    ),
    (
        "Categorise cash withdrawals manually",
        "Let me split a cash withdrawal into categories afterwards so my budget stays accurate.",
        0,
        ["cash"],
    ),
    (
        "Screen reader labels on every chart",
        "The charts are silent for VoiceOver. Each bar should read its category and amount.",
        4,
        ["a11y", "voiceover"],
    ),
    (
        "Notify me when a salary arrives",
        "A notification when my salary lands, with a suggestion to move a percentage into savings automatically.",
        2,
        ["salary", "automation"],
    ),
    (
        "Export my transactions to CSV",
        "Download a month or a year of transactions as CSV for my own spreadsheet.",
        0,
        ["export"],
    ),
    (
        "Quiet hours for notifications",
        "No notifications between 22:00 and 8:00 except security alerts.",
        2,
        ["notifications"],
    ),
    (
        "Savings interest shown daily",
        "Show how much interest my savings earned today, even if it is a few cents. It motivates.",
        1,
        ["interest"],
    ),
    (
        "Travel mode: spending in other currencies",
        "When abroad, show spending in euros and in the local currency, plus a daily travel budget.",
        0,
        ["travel"],
    ),
    (
        "Dark mode that follows the system",
        "Follow the phone's dark mode setting automatically.",
        4,
        ["theme"],
    ),
    (
        "Alert me about unusual card payments",
        "If a payment looks unusual (new country, big amount), ask me to confirm it in the app.",
        3,
        ["fraud"],
    ),
    (
        "Ahorro automático al cobrar la nómina",
        "Cuando llegue la nómina, mover automáticamente un porcentaje que yo elija a mi hucha de ahorro.",
        1,
        ["nómina", "automatización"],
    ),
    (
        "Resumen mensual de gastos por categoría",
        "Un resumen claro a final de mes con lo que gasté en cada categoría y cómo se compara con el mes anterior.",
        0,
        ["resumen"],
    ),
    (
        "Huchas compartidas con amigos para viajes",
        "Crear una hucha para un viaje con amigos, en la que cada uno aporta y todos ven el progreso.",
        1,
        ["viajes", "compartido"],
    ),
    (
        "Aviso antes de quedarme en números rojos",
        "Avisarme con unos días de antelación si un recibo va a dejar mi cuenta en negativo.",
        2,
        ["alertas"],
    ),
    (
        "Modo de lectura fácil para mayores",
        "Una versión simplificada de la app con botones grandes y solo lo esencial: saldo, transferencias y tarjetas.",
        4,
        ["accesibilidad", "mayores"],
    ),
    (
        "Bloquear compras en ciertas categorías",
        "Poder bloquear pagos con tarjeta en apuestas online u otras categorías que yo elija.",
        3,
        ["tarjeta", "control"],
    ),
    (
        "Objetivos de ahorro con recompensas",
        "Conseguir pequeñas recompensas o descuentos al cumplir mis objetivos de ahorro.",
        1,
        ["gamificación"],
    ),
    (
        "Explicar cada comisión en lenguaje claro",
        "Cada vez que se cobre una comisión, explicar por qué y cómo evitarla, en lenguaje sencillo.",
        0,
        ["transparencia"],
    ),
    (
        "Notificaciones de Bizum más claras",
        "Que la notificación diga quién me envió el dinero y el concepto, no solo el importe.",
        2,
        ["bizum"],
    ),
    (
        "Ver el PIN de la tarjeta con huella",
        "Consultar el PIN de la tarjeta desde la app con la huella dactilar.",
        3,
        ["tarjeta", "pin"],
    ),
    (
        "Compare my spending with similar households",
        "Anonymously compare my energy and grocery spending with households like mine.",
        0,
        ["insights"],
    ),
    (
        "Pay back a friend by splitting a transaction",
        "Pick a restaurant payment and request each friend's share with a link.",
        0,
        ["split"],
    ),
    (
        "Lock the app after one minute in background",
        "Require Face ID again if the app was in the background for more than a minute.",
        3,
        ["security"],
    ),
    (
        "Savings goal progress on the home widget",
        "A home-screen widget that shows progress towards my main goal.",
        1,
        ["widget", "goals"],
    ),
    (
        "Voice control for checking my balance",
        "Ask Siri or Google Assistant for my balance without opening the app.",
        4,
        ["voice"],
    ),
    (
        "Tips to save on recurring bills",
        "Suggest cheaper tariffs when my electricity or phone bill is above average.",
        0,
        ["bills"],
    ),
    (
        "Separate pots for taxes as a freelancer",
        "Automatically set aside a percentage of every incoming payment for taxes.",
        1,
        ["freelance", "taxes"],
    ),
    (
        "Explain notifications settings in one screen",
        "All notification settings on one screen, grouped, with a preview of each.",
        2,
        ["settings"],
    ),
    (
        "Recordatorio de pagos fraccionados",
        "Un calendario con las cuotas pendientes de compras aplazadas.",
        2,
        ["cuotas"],
    ),
    (
        "Guardar las tarjetas de fidelización",
        "Poder guardar en la app las tarjetas de puntos de los supermercados.",
        3,
        ["fidelización"],
    ),
    (
        "Dictado por voz para el concepto de las transferencias",
        "Usar el micrófono para escribir el concepto de una transferencia.",
        4,
        ["voz", "accesibilidad"],
    ),
    (
        "Kids' pocket money accounts",
        "A sub-account for my children with a weekly allowance and spending limits I control.",
        1,
        ["family"],
    ),
    (
        "Confirm transfers with a summary screen",
        "Before sending, show a big clear summary: name, IBAN, amount, date.",
        3,
        ["transfers"],
    ),
    (
        "Remind me to review my budget monthly",
        "A gentle reminder on the first of the month to look at last month's budget.",
        2,
        ["budget", "reminders"],
    ),
    (
        "Metas de ahorro para la entrada de un piso",
        "Una herramienta para planificar el ahorro para la entrada de una vivienda, con simulaciones.",
        1,
        ["vivienda", "metas"],
    ),
]

CLOSED_IDEAS = [
    (
        "Chat con personas, no solo con el bot",
        "Poder pedir hablar con una persona en el chat en cualquier momento, sin repetir todo lo que ya escribí.",
        0,
        ["chat"],
    ),
    (
        "Cita previa en la oficina desde la app",
        "Reservar una cita en mi oficina desde la app, eligiendo el día y el motivo.",
        2,
        ["cita"],
    ),
    (
        "Tiempo de espera estimado al llamar",
        "Decir cuántos minutos faltan para que me atiendan por teléfono.",
        1,
        ["teléfono"],
    ),
    (
        "Call me back instead of waiting on hold",
        "Offer a callback when the queue is long, at a time I choose.",
        1,
        ["callback"],
    ),
    (
        "Historial de mis consultas anteriores",
        "Ver en la app el historial de consultas y cómo se resolvieron.",
        0,
        ["historial"],
    ),
    (
        "Atención en inglés y otras lenguas",
        "Poder elegir el idioma de atención en el teléfono y el chat.",
        1,
        ["idiomas"],
    ),
    (
        "Video calls with my advisor",
        "Book a video call with my personal advisor for mortgage questions.",
        2,
        ["video"],
    ),
    (
        "Horario de tarde en oficinas grandes",
        "Abrir por la tarde al menos un día a la semana en las oficinas principales.",
        2,
        ["horario"],
    ),
    (
        "Chat survey after each conversation",
        "A one-question survey after a chat so the team knows what works.",
        0,
        ["feedback"],
    ),
    (
        "Accesibilidad para personas sordas",
        "Atención por videollamada con intérprete de lengua de signos.",
        1,
        ["accesibilidad"],
    ),
    (
        "Send documents securely through the chat",
        "Upload a PDF or photo of a document safely within the chat.",
        0,
        ["documents"],
    ),
    (
        "Número de teléfono gratuito",
        "Un número de atención gratuito desde móviles.",
        1,
        ["teléfono"],
    ),
    (
        "Status page for outages",
        "A public page that shows when the app or cards have a problem.",
        0,
        ["status"],
    ),
    (
        "Ventanilla rápida para trámites sencillos",
        "Una cola separada en la oficina para trámites de menos de cinco minutos.",
        2,
        ["oficina"],
    ),
    (
        "Proactive message when a card is blocked",
        "If my card gets blocked for security, tell me why and what to do right away.",
        0,
        ["card"],
    ),
    (
        "Seguimiento de reclamaciones",
        "Ver el estado de una reclamación y los próximos pasos, con plazos.",
        0,
        ["reclamaciones"],
    ),
    (
        "Same advisor every time",
        "Let me talk to the same person who helped me last time when possible.",
        1,
        ["advisor"],
    ),
    (
        "Información clara de comisiones en la oficina",
        "Un folleto sencillo con las comisiones más habituales.",
        2,
        ["comisiones"],
    ),
]

COMMENTS = [
    "Yes please! I've wanted this for years.",
    "Good idea, but it should be optional — not everyone wants it.",
    "How would this work with joint accounts?",
    "Other banks already do this, so it would be great to catch up.",
    "¡Totalmente de acuerdo! Lo usaría cada semana.",
    "Me parece bien, siempre que se pueda desactivar.",
    "This would help my parents a lot.",
    "I'd add a monthly summary too.",
    "Could this be combined with the savings goals idea?",
    "Muy buena idea, sobre todo para los más jóvenes.",
]
REPLIES = [
    "Agreed, making it optional is key.",
    "Good point, I hadn't thought about joint accounts.",
    "+1, and with a clear way to undo it.",
    "Exacto, y que sea fácil de encontrar en los ajustes.",
]

# The public side of the product-team pipeline.
ROADMAP_PAGE = {
    "title": "Roadmap",
    "slug": "roadmap",
    "intro": "<p>What our product team has planned, is building and has shipped, "
    "straight from your ideas. Vote for the ones you want next.</p>",
}
CHANGELOG_PAGE = {
    "title": "Changelog",
    "slug": "changelog",
    "intro": "<p>Ideas from this community that are now live in the app.</p>",
}

# (idea title, [(stage slug, public note, days ago), …]): the demo "team" account moves each idea
# through these stages in order, so the roadmap, the changelog and the idea pages have history.
# Each idea starts in the initial stage and every step is a move the default pipeline allows.
PIPELINE = [
    (
        "Round up card purchases into a savings pot",
        [
            ("under-review", "", 24),
            (
                "planned",
                "Planned for next quarter. We will start with card payments in euros and add "
                "a monthly cap so the pot never empties your account.",
                18,
            ),
        ],
    ),
    (
        "Warn me before a subscription renews",
        [
            ("under-review", "", 22),
            ("planned", "On the roadmap: three days' notice by default, adjustable.", 16),
            (
                "in-progress",
                "Design is done and the first version is being built. Beta testers wanted!",
                4,
            ),
        ],
    ),
    (
        "Larger text and high-contrast mode",
        [
            ("planned", "Accessibility is a priority: planned for the next release.", 45),
            ("in-progress", "", 30),
            (
                "shipped",
                "Shipped in version 5.2: the app follows your phone's text size, and a "
                "high-contrast theme is in Settings › Display. Thank you for asking!",
                9,
            ),
        ],
    ),
    (
        "Dark mode that follows the system",
        [
            ("planned", "", 60),
            (
                "shipped",
                "Shipped: the app now switches to dark mode with your phone.",
                38,
            ),
        ],
    ),
    (
        "Freeze my card from the lock screen",
        [
            ("under-review", "We are checking this with our security team.", 26),
            ("planned", "", 19),
            ("in-progress", "Security approved it. We are building the widget now.", 12),
        ],
    ),
    (
        "Export my transactions to CSV",
        [
            (
                "declined",
                "We won't add a separate export to the app: the web banking already downloads "
                "any period of transactions as CSV, under Accounts › Statements.",
                14,
            ),
        ],
    ),
    (
        "Call me back instead of waiting on hold",
        [
            ("planned", "", 100),
            (
                "shipped",
                "Shipped: when the wait is over two minutes, press 1 and we call you back.",
                70,
            ),
        ],
    ),
    (
        "Status page for outages",
        [
            ("planned", "", 100),
            ("in-progress", "", 95),
            ("shipped", "Live at status.example.com, linked from the app's help screen.", 65),
        ],
    ),
    (
        "Chat con personas, no solo con el bot",
        [("planned", "Planificado: el chat ofrecerá hablar con una persona en cada paso.", 90)],
    ),
    (
        "Seguimiento de reclamaciones",
        [("planned", "", 88), ("in-progress", "", 80)],
    ),
]

# (duplicate title, original title, note): merged by the demo "team" account.
MERGES = [
    (
        "Metas de ahorro para la entrada de un piso",
        "Savings goals with a photo and a deadline",
        "Es la misma idea que “Savings goals with a photo and a deadline”: tus votos y tu "
        "seguimiento pasan allí.",
    ),
]

NEWS_INDEX = {
    "title": "News",
    "slug": "news",
    "intro": "Announcements from the product team: what we are building and what has shipped.",
}
PREMIUM_SPAIN_SEGMENT = {
    "name": "Premium customers in Spain",
    "slug": "premium-customers-in-spain",
    "description": "Members on the Premium tier who live in Spain.",
}
# Demo members who belong to it (tier premium, country ES, marketing e-mails accepted).
PREMIUM_SPAIN_MEMBERS = ["demo01", "demo02"]

# (slug, title, summary, days ago, paragraphs, for the premium segment only)
ARTICLES = [
    (
        "round-ups-are-coming",
        "Round-ups are coming to the app",
        "Your most voted idea is planned: card purchases rounded up into a savings pot.",
        2,
        [
            "Hundreds of you voted for rounding card purchases up into a savings pot. It is now planned, and the first version reaches the app this spring.",
            "You will choose the pot, pause round-ups when money is tight and see every cent that moved. Follow the idea to hear when it ships.",
        ],
        False,
    ),
    (
        "how-we-review-your-ideas",
        "How we review your ideas",
        "From new to shipped: what happens after you press “Submit”.",
        9,
        [
            "Every idea is read by the product team within a week. We merge duplicates so that votes add up, and we answer publicly when an idea moves.",
            "Ideas marked planned appear on the roadmap; shipped ones land on the changelog, with a note from the team.",
        ],
        False,
    ),
    (
        "premium-spain-early-access",
        "Early access for Premium customers in Spain",
        "Try the new savings goals a month before everyone else.",
        5,
        [
            "As a Premium customer in Spain, you can switch on the new savings goals today, a month before everyone else.",
            "Tell us what works and what does not in the campaign: your ideas shape the version everyone gets.",
        ],
        True,
    ),
]


# Spanish translations of the demo pages (the Spanish tree at /es/), by the page's slug. Ideas,
# votes and comments are members' content, written in one language and not translated.
HOME_ES = {
    "title": "Decide lo que construimos",
    "tagline": "Comparte tus ideas, vota las que más te gusten y síguelas hasta nuestra hoja de ruta.",
}
CAMPAIGN_INDEX_ES = {
    "title": "Campañas",
    "intro": "Cada campaña hace una pregunta. Elige una y da tu opinión.",
}
ROADMAP_PAGE_ES = {
    "title": "Hoja de ruta",
    "intro": "<p>Lo que nuestro equipo de producto ha planificado, está construyendo y ya ha "
    "lanzado, a partir de tus ideas. Vota las que quieras ver después.</p>",
}
CHANGELOG_PAGE_ES = {
    "title": "Novedades",
    "intro": "<p>Ideas de esta comunidad que ya están disponibles en la app.</p>",
}
NEWS_INDEX_ES = {
    "title": "Noticias",
    "intro": "Anuncios del equipo de producto: lo que estamos construyendo y lo que ya hemos lanzado.",
}
CAMPAIGN_INTRO_ES = "Envía tu idea, vota las que te gusten y síguelas mientras nuestro equipo de producto las revisa."
CAMPAIGNS_ES = {
    "mobile-savings": {
        "title": "¿Cómo debería ayudarte a ahorrar nuestra app?",
        "summary": "Cuéntanos qué haría que ahorrar con nuestra app no te cueste nada.",
        "categories": {
            "Budgeting": "Presupuesto",
            "Savings goals": "Metas de ahorro",
            "Notifications": "Avisos",
            "Security": "Seguridad",
            "Accessibility": "Accesibilidad",
        },
    },
    "branch-of-the-future": {
        "title": "La oficina del futuro",
        "summary": "¿Cómo debería ser una visita a una de nuestras oficinas en 2030?",
        "categories": {
            "Spaces": "Espacios",
            "Services": "Servicios",
            "Opening hours": "Horarios",
        },
    },
    "atencion-al-cliente": {
        "title": "Ideas para mejorar la atención al cliente",
        "summary": "Cómo podemos atenderte mejor por teléfono, chat y en persona.",
        "categories": {"Chat": "Chat", "Teléfono": "Teléfono", "Oficinas": "Oficinas"},
    },
}
ARTICLES_ES = {
    "round-ups-are-coming": (
        "El redondeo llega a la app",
        "Tu idea más votada está planificada: las compras con tarjeta, redondeadas hacia una hucha.",
        [
            "Cientos de vosotros votasteis por redondear las compras con tarjeta hacia una hucha de ahorro. Ya está planificado, y la primera versión llega a la app esta primavera.",
            "Elegirás la hucha, podrás pausar el redondeo cuando vayas justo y verás cada céntimo que se mueve. Sigue la idea para enterarte cuando se lance.",
        ],
    ),
    "how-we-review-your-ideas": (
        "Cómo revisamos tus ideas",
        "De nueva a lanzada: qué pasa después de pulsar «Enviar».",
        [
            "El equipo de producto lee cada idea en menos de una semana. Fusionamos las duplicadas para que los votos se sumen, y respondemos en público cuando una idea avanza.",
            "Las ideas planificadas aparecen en la hoja de ruta; las lanzadas llegan a las novedades, con una nota del equipo.",
        ],
    ),
    "premium-spain-early-access": (
        "Acceso anticipado para clientes Premium en España",
        "Prueba las nuevas metas de ahorro un mes antes que nadie.",
        [
            "Como cliente Premium en España, puedes activar hoy las nuevas metas de ahorro, un mes antes que nadie.",
            "Cuéntanos qué funciona y qué no en la campaña: tus ideas dan forma a la versión que recibirán todos.",
        ],
    ),
}
