"""Seed the network-wide topic taxonomy in Dutch, French and English."""

from django.db import migrations

# code, order, minutes, (nl, fr, en) names, (nl, fr, en) what to bring
TOPICS = [
    (
        "banking",
        10,
        45,
        ("Bankieren en itsme", "Banque en ligne et itsme", "Online banking and itsme"),
        (
            "Je smartphone, bankkaart en kaartlezer (digipass).",
            "Votre smartphone, carte bancaire et lecteur de carte (digipass).",
            "Your smartphone, bank card and card reader (digipass).",
        ),
    ),
    (
        "taxes",
        20,
        45,
        ("Belastingen (MyMinfin)", "Impôts (MyMinfin)", "Taxes (MyMinfin)"),
        (
            "Je identiteitskaart met pincode en je brief of voorstel van de belastingen.",
            "Votre carte d'identité avec code PIN et votre courrier ou proposition des impôts.",
            "Your identity card with PIN and the letter or proposal from the tax office.",
        ),
    ),
    (
        "school",
        30,
        30,
        ("Schoolinschrijving", "Inscription scolaire", "School enrolment"),
        (
            "Je identiteitskaart met pincode en de gegevens van je kind.",
            "Votre carte d'identité avec code PIN et les données de votre enfant.",
            "Your identity card with PIN and your child's details.",
        ),
    ),
    (
        "health",
        40,
        30,
        ("Gezondheid en doktersafspraken", "Santé et rendez-vous médicaux", "Health and doctor appointments"),
        (
            "Je smartphone en je identiteitskaart met pincode.",
            "Votre smartphone et votre carte d'identité avec code PIN.",
            "Your smartphone and your identity card with PIN.",
        ),
    ),
    (
        "eid",
        50,
        30,
        ("eID en kaartlezer", "eID et lecteur de carte", "eID and card reader"),
        (
            "Je identiteitskaart, pincode en kaartlezer als je die hebt.",
            "Votre carte d'identité, code PIN et lecteur de carte si vous en avez un.",
            "Your identity card, PIN and card reader if you have one.",
        ),
    ),
    (
        "government",
        60,
        30,
        ("Overheidsloketten (Mijn Burgerprofiel)", "Guichets publics (MyGov)", "Government portals (MyGov)"),
        (
            "Je identiteitskaart met pincode of je smartphone met itsme.",
            "Votre carte d'identité avec code PIN ou votre smartphone avec itsme.",
            "Your identity card with PIN or your smartphone with itsme.",
        ),
    ),
    (
        "benefits_work",
        70,
        45,
        ("Uitkeringen en werk", "Allocations et emploi", "Benefits and work"),
        (
            "Je identiteitskaart met pincode en de brieven die je kreeg.",
            "Votre carte d'identité avec code PIN et les courriers reçus.",
            "Your identity card with PIN and the letters you received.",
        ),
    ),
    (
        "housing_energy",
        80,
        30,
        ("Wonen en energie", "Logement et énergie", "Housing and energy"),
        (
            "Je laatste energiefactuur en je identiteitskaart.",
            "Votre dernière facture d'énergie et votre carte d'identité.",
            "Your latest energy bill and your identity card.",
        ),
    ),
    (
        "mobility",
        90,
        30,
        (
            "Mobiliteit (trein, bus, parkeren)",
            "Mobilité (train, bus, stationnement)",
            "Mobility (train, bus, parking)",
        ),
        (
            "Je smartphone en je bankkaart.",
            "Votre smartphone et votre carte bancaire.",
            "Your smartphone and bank card.",
        ),
    ),
    (
        "communication",
        100,
        30,
        ("Communicatie en e-mail", "Communication et e-mail", "Communication and e-mail"),
        (
            "Je toestel en de wachtwoorden die je kent.",
            "Votre appareil et les mots de passe que vous connaissez.",
            "Your device and the passwords you know.",
        ),
    ),
    (
        "device_basics",
        110,
        30,
        (
            "Basis van smartphone, tablet of computer",
            "Bases du smartphone, de la tablette ou de l'ordinateur",
            "Smartphone, tablet or computer basics",
        ),
        ("Je toestel en de oplader.", "Votre appareil et son chargeur.", "Your device and its charger."),
    ),
    (
        "online_safety",
        120,
        30,
        (
            "Veilig online (phishing, fraude)",
            "Sécurité en ligne (hameçonnage, fraude)",
            "Online safety (phishing, fraud)",
        ),
        (
            "Je toestel en het verdachte bericht, als je het nog hebt.",
            "Votre appareil et le message suspect, si vous l'avez encore.",
            "Your device and the suspicious message, if you still have it.",
        ),
    ),
    (
        "other",
        999,
        30,
        ("Iets anders", "Autre chose", "Something else"),
        (
            "Je toestel en de papieren die erbij horen.",
            "Votre appareil et les documents nécessaires.",
            "Your device and the papers that go with it.",
        ),
    ),
]


def seed_topics(apps, schema_editor):
    Topic = apps.get_model("helpdesk", "Topic")
    for code, order, minutes, names, bring in TOPICS:
        Topic.objects.update_or_create(
            code=code,
            defaults={
                "municipality": None,
                "sort_order": order,
                "default_duration_minutes": minutes,
                "name_nl": names[0],
                "name_fr": names[1],
                "name_en": names[2],
                "what_to_bring_nl": bring[0],
                "what_to_bring_fr": bring[1],
                "what_to_bring_en": bring[2],
            },
        )


def unseed_topics(apps, schema_editor):
    apps.get_model("helpdesk", "Topic").objects.filter(
        code__in=[t[0] for t in TOPICS], municipality=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunPython(seed_topics, unseed_topics)]
