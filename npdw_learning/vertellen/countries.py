"""Countries, regions and nationalities: words pseudonymisation keeps.

"Mijn buurvrouw komt uit Polen" says where a resident's family comes from,
which the analysis of Dordt West needs and which identifies no one; deduce
reads "Polen" as a place and "Poland" as a surname. These words, in Dutch and
in English, stay in every story like the allowlist of the registry: as whole
words, also inside a longer finding ("Jan uit Marokko" keeps "Marokko").

The lists cover the countries of origin common in the Netherlands, every
neighbour in Europe and the continents, with the adjectives and the names for
the people (Dutch and English). Words that are also a common first name or
surname ("Frans", "Pool", "Jordan", "Georgia", "Saba") are left out: a name
goes before a word. Cities are not here: they are places that a story may
name to single someone out.
"""

from __future__ import annotations

__all__ = ["COUNTRY_WORDS"]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in text.split())


# Multi-word names are written with "_" for the space.
_COUNTRIES_NL = """
Nederland Holland België Luxemburg Duitsland Frankrijk Spanje Portugal Italië Griekenland
Engeland Schotland Wales Ierland Groot-Brittannië Verenigd_Koninkrijk Oostenrijk Zwitserland
Denemarken Zweden Noorwegen Finland IJsland Polen Roemenië Bulgarije Hongarije Tsjechië
Slowakije Slovenië Kroatië Bosnië Servië Montenegro Kosovo Albanië Macedonië Noord-Macedonië
Griekenland Cyprus Malta Litouwen Letland Estland Oekraïne Wit-Rusland Belarus Moldavië Rusland
Georgië Armenië Azerbeidzjan Turkije Koerdistan Marokko Algerije Tunesië Libië Egypte Soedan
Eritrea Ethiopië Somalië Kenia Oeganda Ghana Nigeria Kameroen Congo Angola Kaapverdië Senegal
Guinee Sierra_Leone Liberia Zuid-Afrika Syrië Libanon Jordanië Israël Palestina Irak Iran
Afghanistan Pakistan India Bangladesh Sri_Lanka Nepal China Japan Korea Vietnam Thailand
Indonesië Maleisië Filipijnen Suriname Curaçao Aruba Bonaire Sint_Eustatius Sint-Maarten
Antillen Nederlandse_Antillen Caribisch_Nederland Verenigde_Staten Amerika Canada Mexico
Brazilië Colombia Venezuela Argentinië Chili Peru Jemen Saoedi-Arabië Koeweit Qatar
Europa Afrika Azië Oceanië Australië Noord-Afrika Midden-Oosten Balkan Scandinavië
"""
_PEOPLE_NL = """
Nederlands Nederlandse Nederlander Nederlanders Hollands Hollandse Belgisch Belgische Belg Belgen
Duits Duitse Duitser Duitsers Franse Fransman Fransen Spaans Spaanse Spanjaard Spanjaarden
Portugees Portugese Portugezen Italiaans Italiaanse Italiaan Italianen Grieks Griekse Griek Grieken
Engels Engelse Engelsman Engelsen Brits Britse Brit Britten Iers Ierse Schots Schotse
Pools Poolse Polen Roemeens Roemeense Roemeen Roemenen Bulgaars Bulgaarse Bulgaar Bulgaren
Hongaars Hongaarse Hongaar Hongaren Tsjechisch Tsjechische Slowaaks Slowaakse Kroatisch
Kroatische Kroaat Kroaten Bosnisch Bosnische Bosniër Bosniërs Servisch Servische Serviër Serviërs
Albanees Albanese Albanezen Macedonisch Macedonische Litouws Litouwse Lets Letse Ests Estse
Oekraïens Oekraïense Oekraïner Oekraïners Russisch Russische Rus Russen Armeens Armeense
Turks Turkse Turk Turken Koerdisch Koerdische Koerd Koerden Marokkaans Marokkaanse Marokkaan
Marokkanen Berbers Amazigh Algerijns Algerijnse Tunesisch Tunesische Egyptisch Egyptische
Eritrees Eritrese Eritreeër Eritreeërs Ethiopisch Ethiopische Somalisch Somalische Somaliër
Somaliërs Soedanees Soedanese Ghanees Ghanese Ghanezen Nigeriaans Nigeriaanse Kaapverdiaans
Kaapverdiaanse Kaapverdianen Syrisch Syrische Syriër Syriërs Libanees Libanese Irakees Irakese
Irakezen Iraans Iraanse Iraniër Iraniërs Afghaans Afghaanse Afghaan Afghanen Pakistaans
Pakistaanse Indiaas Indiase Chinees Chinese Chinezen Japans Japanse Vietnamees Vietnamese
Indonesisch Indonesische Indisch Indische Moluks Molukse Molukkers Filipijns Filipijnse
Surinaams Surinaamse Surinamer Surinamers Hindostaans Hindostaanse Hindoestaans Hindoestaanse
Hindostanen Creools Creoolse Javaans Javaanse Antilliaans Antilliaanse Antilliaan Antillianen
Curaçaos Curaçaose Curaçaoënaar Arubaans Arubaanse Caribisch Caribische Amerikaans Amerikaanse
Amerikaan Amerikanen Canadees Canadese Braziliaans Braziliaanse Colombiaans Colombiaanse
Arabisch Arabische Arabier Arabieren Europees Europese Afrikaans Afrikaanse Aziatisch
Aziatische Latijns-Amerikaans Latijns-Amerikaanse Papiaments Sranantongo Tigrinya Dari Farsi
"""
_COUNTRIES_EN = """
Netherlands The_Netherlands Belgium Luxembourg Germany France Spain Italy Greece England
Scotland Ireland Britain Great_Britain United_Kingdom UK Austria Switzerland Denmark Sweden
Norway Iceland Poland Romania Bulgaria Hungary Czechia Czech_Republic Slovakia Slovenia Croatia
Bosnia Serbia Albania North_Macedonia Lithuania Latvia Estonia Ukraine Russia Armenia
Turkey Türkiye Kurdistan Morocco Algeria Tunisia Libya Egypt Sudan Ethiopia Somalia Kenya
Uganda Cape_Verde Cameroon South_Africa Syria Lebanon Israel Palestine Iraq Afghanistan
Philippines United_States USA America Brazil Argentina Chile Yemen Saudi_Arabia Kuwait
Europe Africa Asia Australia Middle_East Caribbean
"""
_PEOPLE_EN = """
Dutch Dutchman Belgian Belgians German Germans French Frenchman Spanish Spaniard Italian
Italians Greek Greeks English Englishman British Irish Scottish Welsh Polish Pole Poles
Romanian Romanians Bulgarian Bulgarians Hungarian Hungarians Czech Slovak Croatian Croatians
Bosnian Bosnians Serbian Serbians Albanian Albanians Lithuanian Latvian Estonian Ukrainian
Ukrainians Russian Russians Armenian Turkish Kurdish Kurd Kurds Moroccan Moroccans Berber
Algerian Tunisian Egyptian Eritrean Eritreans Ethiopian Somali Somalis Sudanese Ghanaian
Nigerian Cape_Verdean Syrian Syrians Lebanese Iraqi Iraqis Iranian Iranians Afghan Afghans
Pakistani Indian Indians Chinese Japanese Vietnamese Indonesian Moluccan Filipino Surinamese
Hindustani Creole Antillean Antilleans Curaçaoan Aruban American Americans Canadian Brazilian
Colombian Arab Arabs Arabic European Europeans African Africans Asian Asians Caribbean
"""

COUNTRY_WORDS: frozenset[str] = (
    _words(_COUNTRIES_NL) | _words(_PEOPLE_NL) | _words(_COUNTRIES_EN) | _words(_PEOPLE_EN)
)
