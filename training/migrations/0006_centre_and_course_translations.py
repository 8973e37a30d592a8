"""Centres and courses carry their name, title and summary in other languages; the ten centres get theirs."""

from django.db import migrations, models

CENTRES = {
    "agriculture": {
        "pt": ("Agricultura e produtos preparados",
               "Alimentos, bebidas, plantas, animais e respetivos produtos: classificação de alimentos preparados, "
               "certificados sanitários e fitossanitários, contingentes pautais e as regras de origem que determinam "
               "o direito preferencial."),
        "fr": ("Agriculture et produits préparés",
               "Denrées alimentaires, boissons, plantes, animaux et leurs produits : classement des préparations "
               "alimentaires, certificats sanitaires et phytosanitaires, contingents tarifaires et règles d'origine "
               "qui ouvrent droit au tarif préférentiel."),
        "es": ("Agricultura y productos preparados",
               "Alimentos, bebidas, plantas, animales y sus productos: clasificación de alimentos preparados, "
               "certificados sanitarios y fitosanitarios, contingentes arancelarios y las normas de origen que "
               "determinan el derecho preferencial."),
    },
    "apparel": {
        "pt": ("Vestuário, calçado e têxteis",
               "Vestuário, calçado e tecidos: composição das fibras e modo de fabrico para a classificação, origem "
               "segundo as regras de acumulação, rotulagem e restrições à importação de produtos de trabalho forçado."),
        "fr": ("Habillement, chaussures et textiles",
               "Vêtements, chaussures et tissus : composition en fibres et mode de fabrication pour le classement, "
               "origine selon les règles de cumul, étiquetage et restrictions à l'importation liées au travail forcé."),
        "es": ("Prendas de vestir, calzado y textiles",
               "Prendas, calzado y tejidos: composición de las fibras y confección para la clasificación, origen "
               "según las normas de acumulación, etiquetado y restricciones a la importación por trabajo forzoso."),
    },
    "automotive": {
        "pt": ("Automóvel e aeroespacial",
               "Veículos, aeronaves e respetivas partes: partes versus acessórios, aperfeiçoamento ativo para "
               "montagem, isenção por destino especial para aeronaves civis e origem em cadeias de abastecimento longas."),
        "fr": ("Automobile et aéronautique",
               "Véhicules, aéronefs et leurs parties : parties ou accessoires, perfectionnement actif pour "
               "l'assemblage, destination particulière pour les aéronefs civils et origine dans les longues chaînes "
               "d'approvisionnement."),
        "es": ("Automoción y aeroespacial",
               "Vehículos, aeronaves y sus partes: partes frente a accesorios, perfeccionamiento activo para el "
               "montaje, destino final para aeronaves civiles y origen en cadenas de suministro largas."),
    },
    "base-metals": {
        "pt": ("Metais comuns",
               "Aço, alumínio e outros metais: direitos de defesa comercial, licenças de vigilância, certificados de "
               "fábrica e o risco de evasão através de transbordo."),
        "fr": ("Métaux communs",
               "Acier, aluminium et autres métaux : droits de défense commerciale, licences de surveillance, "
               "certificats d'usine et risque de contournement par transbordement."),
        "es": ("Metales comunes",
               "Acero, aluminio y otros metales: derechos de defensa comercial, licencias de vigilancia, "
               "certificados de fábrica y el riesgo de elusión mediante transbordo."),
    },
    "consumer": {
        "pt": ("Produtos de consumo e grande distribuição",
               "Brinquedos, artigos domésticos e remessas de comércio eletrónico: segurança dos produtos, direitos "
               "de propriedade intelectual, remessas de baixo valor e valor aduaneiro de bens vendidos em linha."),
        "fr": ("Produits de consommation et grande distribution",
               "Jouets, articles ménagers et envois du commerce électronique : sécurité des produits, droits de "
               "propriété intellectuelle, envois de faible valeur et valeur en douane des biens vendus en ligne."),
        "es": ("Productos de consumo y gran distribución",
               "Juguetes, artículos para el hogar y envíos de comercio electrónico: seguridad de los productos, "
               "derechos de propiedad intelectual, envíos de escaso valor y valor en aduana de bienes vendidos en línea."),
    },
    "electronics": {
        "pt": ("Eletrónica",
               "Computadores, equipamento de telecomunicações e componentes: o Acordo sobre as Tecnologias da "
               "Informação, controlo das exportações de produtos de dupla utilização, classificação de aparelhos "
               "multifunções e direitos de licença no valor aduaneiro."),
        "fr": ("Électronique",
               "Ordinateurs, équipements de télécommunication et composants : l'Accord sur les technologies de "
               "l'information, contrôle des exportations de biens à double usage, classement des appareils "
               "multifonctions et redevances dans la valeur en douane."),
        "es": ("Electrónica",
               "Ordenadores, equipos de telecomunicaciones y componentes: el Acuerdo sobre Tecnología de la "
               "Información, control de las exportaciones de productos de doble uso, clasificación de aparatos "
               "multifunción y cánones en el valor en aduana."),
    },
    "industrial": {
        "pt": ("Materiais industriais e de fabrico",
               "Plásticos, borracha, madeira, papel e vidro: classificação por matéria e fase de transformação, "
               "transformação sob controlo aduaneiro e autorizações de destino especial."),
        "fr": ("Matières industrielles et de fabrication",
               "Plastiques, caoutchouc, bois, papier et verre : classement selon la matière et le stade "
               "d'ouvraison, transformation sous douane et autorisations de destination particulière."),
        "es": ("Materiales industriales y de fabricación",
               "Plásticos, caucho, madera, papel y vidrio: clasificación por materia y fase de elaboración, "
               "transformación bajo control aduanero y autorizaciones de destino final."),
    },
    "machinery": {
        "pt": ("Máquinas",
               "Máquinas e aparelhos mecânicos: classificação de unidades funcionais, importação temporária de "
               "equipamento, controlos de dupla utilização e valor das prestações e dos custos de instalação."),
        "fr": ("Machines",
               "Machines et appareils mécaniques : classement des unités fonctionnelles, admission temporaire "
               "d'équipements, contrôles des biens à double usage et valeur des prestations et des frais "
               "d'installation."),
        "es": ("Maquinaria",
               "Máquinas y aparatos mecánicos: clasificación de unidades funcionales, importación temporal de "
               "equipos, controles de doble uso y valor de las prestaciones y los gastos de instalación."),
    },
    "petroleum": {
        "pt": ("Petróleo, gás natural e minerais",
               "Petróleo bruto, combustíveis, gás e minerais: medição e amostragem, articulação com os impostos "
               "especiais de consumo, transporte por conduta e a granel e dever de diligência para os minerais de "
               "conflito."),
        "fr": ("Pétrole, gaz naturel et minéraux",
               "Pétrole brut, carburants, gaz et minéraux : mesurage et échantillonnage, articulation avec les "
               "accises, transport par canalisation et en vrac, et devoir de diligence pour les minerais de conflit."),
        "es": ("Petróleo, gas natural y minerales",
               "Petróleo crudo, combustibles, gas y minerales: medición y muestreo, relación con los impuestos "
               "especiales, transporte por conducto y a granel y diligencia debida para los minerales de conflicto."),
    },
    "pharma": {
        "pt": ("Produtos farmacêuticos, saúde e químicos",
               "Medicamentos, dispositivos médicos e produtos químicos: substâncias controladas e precursores, "
               "regras REACH e de mercadorias perigosas, a lista de isenção de direitos para produtos farmacêuticos "
               "e a segurança da cadeia de frio."),
        "fr": ("Produits pharmaceutiques, santé et chimie",
               "Médicaments, dispositifs médicaux et produits chimiques : substances contrôlées et précurseurs, "
               "règles REACH et marchandises dangereuses, la liste des produits pharmaceutiques en franchise et la "
               "sûreté de la chaîne du froid."),
        "es": ("Productos farmacéuticos, salud y química",
               "Medicamentos, productos sanitarios y químicos: sustancias controladas y precursores, normas REACH "
               "y de mercancías peligrosas, la lista de productos farmacéuticos exentos de derechos y la seguridad "
               "de la cadena de frío."),
    },
}


def translate_centres(apps, schema_editor):
    Centre = apps.get_model("training", "Centre")
    for centre in Centre.objects.filter(slug__in=CENTRES, translations={}):
        centre.translations = {language: {"name": name, "description": description}
                               for language, (name, description) in CENTRES[centre.slug].items()}
        centre.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("training", "0005_catalogue_order_index")]

    operations = [
        migrations.AddField(model_name="centre", name="translations",
                            field=models.JSONField(blank=True, default=dict)),
        migrations.AddField(model_name="course", name="translations",
                            field=models.JSONField(blank=True, default=dict)),
        migrations.RunPython(translate_centres, migrations.RunPython.noop),
    ]
