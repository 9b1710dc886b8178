# ruff: noqa: E501 (guide texts: one Markdown line per step reads best)
"""Demo guides for seed_demo: short numbered steps for the tasks digipunten help with most, in
Dutch for every seeded topic and some in French and English. Idempotent (keyed by title)."""

import datetime

from django.utils import timezone

from guides.models import Guide
from helpdesk.models import Topic

# (topics, language, title, what to bring, body, shared, reviewed days ago)
GUIDES = [
    (
        ["banking", "eid"],
        "nl",
        "itsme installeren en activeren",
        "Smartphone met Android of iPhone, identiteitskaart met pincode, gsm-nummer; eventueel bankkaart of kaartlezer.",
        """itsme is de app waarmee je inlogt bij de overheid, je bank en je ziekenfonds.

1. Open de **App Store** (iPhone) of **Google Play** (Android) en zoek **itsme**. Controleer dat de maker *itsme nv* is.
2. Installeer de app en open ze. Tik op **Maak je itsme-account aan**.
3. Vul het gsm-nummer in van de smartphone die de burger gebruikt. Er komt een sms-code: typ die over.
4. Kies hoe de burger zich identificeert: met de **app van zijn bank**, of met de **identiteitskaart**
   (in een kaartlezer of door de chip te scannen met de smartphone). Volg de stappen op het scherm.
5. Laat de burger zelf een **itsme-code van 5 cijfers** kiezen. Kijk niet mee en schrijf hem nergens op.
6. Zet desgewenst vingerafdruk of gezichtsherkenning aan.
7. Test: log samen in op [Mijn Burgerprofiel](https://www.vlaanderen.be/mijn-burgerprofiel) met itsme.

**Let op:** itsme vraagt nooit een code via sms, mail of telefoon. Wie daarom vraagt, is een oplichter.""",
        True,
        20,
    ),
    (
        ["banking"],
        "nl",
        "Een overschrijving doen in de bankapp",
        "Smartphone met de bankapp, de factuur of het overschrijvingsformulier.",
        """1. Open de bankapp en meld aan met de pincode, vingerafdruk of itsme.
2. Kies **Overschrijven** (soms onder *Betalen*).
3. Vul het rekeningnummer (**IBAN**, begint met BE en 14 cijfers) en de naam van de ontvanger in.
4. Vul het bedrag in en de **gestructureerde mededeling** (+++123/4567/89012+++) precies zoals op de factuur.
   Staat er een QR-code op de factuur? Veel bankapps kunnen die scannen.
5. Controleer alles samen en bevestig. De bank toont een bevestiging.
6. De burger bevestigt zelf met zijn code. Typ nooit zelf de code van iemand anders.

Twijfelt de burger of de factuur echt is? Niet betalen en eerst de afzender bellen via het nummer op zijn eigen website.""",
        False,
        45,
    ),
    (
        ["taxes"],
        "nl",
        "Belastingaangifte indienen in MyMinfin (Tax-on-web)",
        "Identiteitskaart met pincode of itsme, het voorstel van vereenvoudigde aangifte als de burger dat kreeg, attesten (pensioensparen, giften, kinderopvang).",
        """1. Ga naar [myminfin.be](https://eservices.minfin.fgov.be/myminfin-web/) en kies **Aanmelden** met itsme of de identiteitskaart.
2. Kreeg de burger een **voorstel van vereenvoudigde aangifte**? Open het onder **Mijn documenten** en overloop het samen.
   Klopt alles, dan hoeft de burger niets te doen; anders kies je **Aangifte indienen** om het aan te passen.
3. Anders: kies **Mijn aangifte invullen (Tax-on-web)**. Veel gegevens zijn al ingevuld (loon, pensioen, werkloosheid).
4. Vul aan wat ontbreekt met de attesten die de burger meebracht. Vraag bij twijfel wat een vak betekent (knop **?**).
5. Kies **Berekening** om de raming te zien: terugbetaling of bijbetaling.
6. Kies **Indienen**. Download het **ontvangstbewijs** (pdf) en toon waar het in MyMinfin staat.

Lukt het niet of is de situatie ingewikkeld? De FOD Financiën helpt ook gratis: bel 02 572 57 57.""",
        True,
        30,
    ),
    (
        ["taxes", "government"],
        "nl",
        "Post van de overheid lezen in eBox",
        "Identiteitskaart met pincode of itsme.",
        """eBox is de digitale brievenbus van de overheid: aanslagbiljetten, pensioenbrieven, brieven van het ziekenfonds.

1. Ga naar [myebox.be](https://myebox.be) of installeer de app **eBox** (App Store of Google Play).
2. Meld aan met itsme of de identiteitskaart.
3. De eerste keer: vul een e-mailadres in om een bericht te krijgen bij nieuwe post.
4. Open **Berichten** en tik op een bericht om het te lezen of als pdf te bewaren.
5. Toon hoe je een bericht in een map zet of verwijdert.

Wie eBox activeert, krijgt sommige brieven **niet meer op papier**. Vertel dat voor de burger kiest.""",
        False,
        60,
    ),
    (
        ["school"],
        "nl",
        "Een kind aanmelden voor een school",
        "Identiteitskaart met pincode of itsme, rijksregisternummer van het kind, de scholen van voorkeur.",
        """In veel Vlaamse gemeenten meld je een kind eerst **digitaal aan** voor je het inschrijft. Dat geldt voor de
instap in de kleuterschool, het eerste leerjaar en het eerste jaar secundair.

1. Zoek op de website van de gemeente of van de scholen het **aanmeldsysteem** en de **aanmeldperiode**.
   Aanmelden kan alleen in die periode; wie sneller is, krijgt geen voorrang.
2. Meld aan met itsme of de identiteitskaart van de ouder.
3. Vul de gegevens van het kind in (naam, geboortedatum, rijksregisternummer) en de contactgegevens van de ouder.
4. Kies **meerdere scholen in volgorde van voorkeur**. Meer scholen geeft meer kans op een plaats.
5. Controleer en bevestig. Bewaar de **bevestigingsmail**.
6. Na de aanmeldperiode komt een **ticket** of resultaat: daarmee schrijf je het kind binnen de termijn in op de school.

Broers of zussen op dezelfde school, of kinderen van personeel, hebben vaak voorrang: kijk wanneer zij moeten aanmelden.""",
        True,
        15,
    ),
    (
        ["health"],
        "nl",
        "Voorschriften en vaccins bekijken in Mijn Gezondheid",
        "Identiteitskaart met pincode of itsme.",
        """1. Ga naar [mijngezondheid.belgie.be](https://www.mijngezondheid.belgie.be) en kies **Aanmelden** met itsme of de identiteitskaart.
2. Onder **Geneesmiddelen** staan de elektronische voorschriften die nog niet zijn afgehaald.
3. Onder **Vaccinaties** staan de gekregen vaccins; het attest kan als pdf.
4. Toon het **ziekenfonds** en de **huisarts (GMD)** van de burger.
5. Met de app **MyHealthViewer** of de app van het ziekenfonds kan dit ook op de smartphone.

Voor een afspraak bij de huisarts: veel praktijken werken met een online agenda op hun website. Zoek die samen op.""",
        False,
        90,
    ),
    (
        ["eid"],
        "nl",
        "De eID-kaartlezer gebruiken op de computer",
        "Identiteitskaart met pincode, een kaartlezer.",
        """1. Download de **eID-software** van [eid.belgium.be](https://eid.belgium.be) (Windows of Mac) en installeer ze.
2. Steek de kaartlezer in de computer en de identiteitskaart in de lezer, chip naar boven.
3. Open de **eID Viewer** om te testen: je ziet naam en foto.
4. Ga naar de website waar de burger wil aanmelden en kies **Aanmelden met eID**.
5. De burger typt zelf de **pincode** van 4 cijfers. Kijk niet mee.

Pincode vergeten of drie keer fout (kaart geblokkeerd)? Bij de dienst Burgerzaken van de gemeente vraag je nieuwe pin- en pukcodes aan; ze komen per brief.""",
        True,
        200,
    ),
    (
        ["government", "eid"],
        "nl",
        "Een attest downloaden in Mijn Burgerprofiel",
        "Identiteitskaart met pincode of itsme.",
        """Mijn Burgerprofiel is de plek van de Vlaamse overheid met je gegevens, documenten en attesten.

1. Ga naar [vlaanderen.be/mijn-burgerprofiel](https://www.vlaanderen.be/mijn-burgerprofiel) of open de app **Mijn Burgerprofiel**.
2. Meld aan met itsme of de identiteitskaart.
3. Kies **Mijn documenten** of zoek het attest, bijvoorbeeld **gezinssamenstelling** of **uittreksel uit het bevolkingsregister**.
4. Download het attest als pdf. Het is officieel en gratis.
5. Toon hoe de burger het kan mailen of doorsturen naar wie erom vraagt.

Tip: in Mijn Burgerprofiel kan de burger ook zien welke premies en tegemoetkomingen hij krijgt.""",
        False,
        40,
    ),
    (
        ["benefits_work"],
        "nl",
        "Inschrijven als werkzoekende bij VDAB",
        "Identiteitskaart met pincode of itsme, e-mailadres, gegevens van de laatste job en diploma.",
        """1. Ga naar [vdab.be](https://www.vdab.be) en kies **Inschrijven als werkzoekende**.
2. Meld aan met itsme of de identiteitskaart.
3. Vul de gegevens in: adres, diploma, ervaring, welk werk de burger zoekt.
4. Controleer en bevestig. De burger krijgt een bevestiging en later een bericht van een bemiddelaar.
5. Uitkering nodig? Na de inschrijving gaat de burger ook naar een **uitbetalingsinstelling**: een vakbond of de HVW.""",
        False,
        50,
    ),
    (
        ["housing_energy"],
        "nl",
        "Meterstanden doorgeven aan Fluvius",
        "De meterstanden (foto van de meter is handig), het EAN-nummer of een factuur van de energieleverancier.",
        """1. Ga naar [fluvius.be](https://www.fluvius.be) en zoek **Meterstanden doorgeven**.
2. Vul de **meterkaart-code** of het **EAN-nummer** in (staat op de brief van Fluvius of de factuur).
3. Typ de cijfers van elke meter over, zonder de rode cijfers na de komma. Dag- en nachtmeter apart.
4. Controleer en bevestig. Fluvius stuurt de standen door naar de energieleverancier.

Een digitale meter geeft de standen zelf door: dan hoeft de burger niets te doen.""",
        False,
        120,
    ),
    (
        ["mobility"],
        "nl",
        "Een ticket kopen in de De Lijn-app",
        "Smartphone, een bankkaart of Payconiq om te betalen.",
        """1. Installeer de app **De Lijn** uit de App Store of Google Play.
2. Kies **Tickets** en het ticket dat past: een **enkele rit** of een **dagpas**.
3. Betaal met bankkaart of Payconiq. Het ticket staat daarna in de app, ook zonder internet.
4. Vraagt de app het ticket te **activeren**? Doe dat vlak voor je instapt, niet eerder.
5. Bij een controle toon je het geactiveerde ticket op het scherm.""",
        False,
        70,
    ),
    (
        ["communication"],
        "nl",
        "Een foto versturen met WhatsApp",
        "Smartphone met WhatsApp.",
        """1. Open **WhatsApp** en kies het gesprek met de persoon.
2. Tik op het **paperclip-** of **plus-icoon** naast het tekstvak.
3. Kies **Galerij** (Android) of **Foto's** (iPhone) en tik op de foto.
4. Schrijf eventueel een bericht erbij en tik op **Verstuur** (het pijltje).
5. Twee blauwe vinkjes: de foto is gelezen.""",
        False,
        100,
    ),
    (
        ["device_basics"],
        "nl",
        "De smartphone updaten",
        "Smartphone, opgeladen of aan de lader, en wifi.",
        """Updates maken de smartphone veiliger. Sommige apps (zoals itsme en bankapps) werken niet meer op een te oude versie.

1. Zorg voor wifi en laad de smartphone op.
2. **Android:** open **Instellingen** → **Software-update** (of **Systeem** → **Systeemupdate**) → **Downloaden en installeren**.
3. **iPhone:** open **Instellingen** → **Algemeen** → **Software-update** → **Werk nu bij**.
4. De smartphone herstart. Dat kan tien minuten duren.
5. Werk daarna ook de apps bij in de App Store of Google Play (**Bijwerken**).""",
        False,
        300,
    ),
    (
        ["online_safety", "banking"],
        "nl",
        "Een phishing-sms herkennen",
        "De smartphone met het verdachte bericht.",
        """Oplichters sturen sms'en en berichten die lijken te komen van de bank, bpost, itsme, de overheid of een familielid.

1. **Haast?** ("je kaart wordt vandaag geblokkeerd", "pakje wacht, betaal €1,99") is een alarmsignaal.
2. **Een link** in een sms van de bank of de overheid: klik niet. Zij sturen zulke links niet.
3. **"Hallo mama, dit is mijn nieuw nummer"**: bel het oude nummer van het kind voor je iets betaalt.
4. Vraagt het bericht een **code, pincode of itsme-bevestiging**? Nooit doen.
5. Stuur een schermafdruk van het bericht naar **verdacht@safeonweb.be** en verwijder het daarna.

Toch geklikt en gegevens ingevuld? Bel meteen **Card Stop: 078 170 170** en de bank, en verander het wachtwoord.""",
        True,
        10,
    ),
    (
        ["other"],
        "nl",
        "Een e-mailadres aanmaken",
        "Smartphone of computer, een gsm-nummer om het account te beveiligen.",
        """1. Kies een gratis dienst, bijvoorbeeld **Gmail** of **Outlook.com**, en tik op **Account maken**.
2. Kies een adres dat makkelijk te onthouden is, zoals voornaam.familienaam.
3. Kies samen een **sterk wachtwoord**: drie losse woorden en een cijfer. De burger schrijft het zelf op, thuis.
4. Vul het gsm-nummer in om het account terug te krijgen als het wachtwoord vergeten is.
5. Stuur een testmail naar de digipunt en antwoord erop.""",
        False,
        80,
    ),
    (
        ["banking", "eid"],
        "fr",
        "Installer et activer itsme",
        "Smartphone, carte d'identité avec code PIN, numéro de GSM ; éventuellement carte bancaire ou lecteur de carte.",
        """1. Ouvrez l'**App Store** (iPhone) ou **Google Play** (Android) et cherchez **itsme** (éditeur : *itsme sa*).
2. Installez l'app et touchez **Créer votre compte itsme**.
3. Introduisez le numéro de GSM du smartphone et recopiez le code reçu par SMS.
4. Identifiez-vous avec **l'app de votre banque** ou avec la **carte d'identité** (lecteur de carte ou puce scannée avec le smartphone).
5. Le citoyen choisit lui-même un **code itsme de 5 chiffres**. Ne regardez pas, ne le notez nulle part.
6. Testez : connectez-vous ensemble à [MyMinfin](https://eservices.minfin.fgov.be/myminfin-web/) avec itsme.

**Attention :** itsme ne demande jamais de code par SMS, e-mail ou téléphone.""",
        True,
        20,
    ),
    (
        ["taxes"],
        "fr",
        "Remplir sa déclaration d'impôts dans MyMinfin (Tax-on-web)",
        "Carte d'identité avec code PIN ou itsme, la proposition de déclaration simplifiée si reçue, les attestations.",
        """1. Allez sur [myminfin.be](https://eservices.minfin.fgov.be/myminfin-web/) et connectez-vous avec itsme ou la carte d'identité.
2. Le citoyen a reçu une **proposition de déclaration simplifiée** ? Ouvrez-la dans **Mes documents** et vérifiez-la ensemble.
   Si tout est correct, il ne doit rien faire ; sinon choisissez **Introduire une déclaration**.
3. Sinon : choisissez **Remplir ma déclaration (Tax-on-web)**. Beaucoup de données sont déjà remplies.
4. Complétez avec les attestations (épargne-pension, dons, garde d'enfants).
5. Choisissez **Calcul** pour voir l'estimation, puis **Envoyer**.
6. Téléchargez l'**accusé de réception** (pdf).

Situation compliquée ? Le SPF Finances aide gratuitement : 02 572 57 57.""",
        True,
        30,
    ),
    (
        ["online_safety"],
        "fr",
        "Reconnaître un SMS de phishing",
        "Le smartphone avec le message suspect.",
        """1. **Urgence** (« votre carte sera bloquée aujourd'hui », « colis en attente, payez 1,99 € ») : méfiance.
2. **Un lien** dans un SMS de la banque ou de l'administration : ne cliquez pas.
3. On vous demande un **code, un code PIN ou une confirmation itsme** ? Jamais.
4. Envoyez une capture d'écran à **suspect@safeonweb.be**, puis supprimez le message.

Vous avez cliqué et donné des données ? Appelez tout de suite **Card Stop : 078 170 170** et votre banque.""",
        True,
        10,
    ),
    (
        ["banking", "eid"],
        "en",
        "Install and activate itsme",
        "Smartphone, identity card with PIN code, mobile number; possibly a bank card or card reader.",
        """1. Open the **App Store** (iPhone) or **Google Play** (Android) and search for **itsme** (publisher: *itsme nv*).
2. Install the app and tap **Create your itsme account**.
3. Enter the smartphone's mobile number and type in the code you receive by SMS.
4. Identify with **your bank's app** or with the **identity card** (card reader, or the chip scanned with the phone).
5. The citizen chooses a **5-digit itsme code** alone. Do not watch and do not write it down.
6. Test it: log in together to [MyMinfin](https://eservices.minfin.fgov.be/myminfin-web/) with itsme.

**Note:** itsme never asks for a code by SMS, e-mail or phone.""",
        True,
        20,
    ),
    (
        ["online_safety"],
        "en",
        "Recognise a phishing SMS",
        "The smartphone with the suspicious message.",
        """1. **Urgency** ("your card will be blocked today", "parcel waiting, pay €1.99") is a warning sign.
2. **A link** in a text from the bank or the government: do not tap it.
3. Asked for a **code, PIN or itsme confirmation**? Never.
4. Send a screenshot to **suspicious@safeonweb.be**, then delete the message.

Tapped and entered details? Call **Card Stop: 078 170 170** and the bank straight away.""",
        True,
        10,
    ),
    (
        ["taxes", "government"],
        "en",
        "Read government mail in eBox",
        "Identity card with PIN code, or itsme.",
        """1. Go to [myebox.be](https://myebox.be) or install the **eBox** app.
2. Log in with itsme or the identity card.
3. The first time, give an e-mail address to be told when new mail arrives.
4. Open **Messages** and tap a message to read it or save it as a PDF.

Once eBox is active, some letters **no longer come on paper**: say so before the citizen chooses.""",
        False,
        60,
    ),
]


def seed_guides(municipality, *, author=None, today: datetime.date | None = None) -> list[Guide]:
    """The demo guides of `municipality` (published; some shared with the network; the device
    update guide was last reviewed long ago, so the review flag shows)."""
    today = today or timezone.localdate()
    topics = {t.code: t for t in Topic.objects.filter(municipality__isnull=True)}
    guides = []
    for codes, language, title, bring, body, shared, days_ago in GUIDES:
        guide, _created = Guide.objects.update_or_create(
            municipality=municipality,
            title=title,
            language=language,
            defaults={
                "body_markdown": body,
                "what_to_bring": bring,
                "status": Guide.Status.PUBLISHED,
                "shared": shared,
                "reviewed_on": today - datetime.timedelta(days=days_ago),
                "reviewed_by": author,
                "created_by": author,
            },
        )
        guide.topics.set([topics[code] for code in codes if code in topics])
        guides.append(guide)
    return guides
