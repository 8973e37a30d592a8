"""Titles and summaries of the demo courses in Portuguese, French and Spanish, by course slug. Lessons, quizzes
and module titles stay in English: they are long teaching texts, written and reviewed in one language."""

COURSES = {
    "classifying-and-valuing-machinery": {
        "pt": ("Classificar e valorizar máquinas importadas",
               "Como as Regras Gerais Interpretativas e as notas da Secção XVI classificam máquinas, partes e "
               "unidades funcionais, o que entra no valor aduaneiro de uma máquina, e as informações vinculativas "
               "e os registos que evitam litígios."),
        "fr": ("Classer et évaluer les machines importées",
               "Comment les Règles générales interprétatives et les notes de la section XVI classent les machines, "
               "leurs parties et les unités fonctionnelles, ce qui entre dans la valeur en douane d'une machine, et "
               "les renseignements contraignants et registres qui vous évitent les litiges."),
        "es": ("Clasificar y valorar la maquinaria importada",
               "Cómo las Reglas Generales Interpretativas y las notas de la sección XVI clasifican máquinas, partes "
               "y unidades funcionales, qué entra en el valor en aduana de una máquina, y las informaciones "
               "vinculantes y los registros que evitan litigios."),
    },
    "securing-the-pharmaceutical-supply-chain": {
        "pt": ("Proteger a cadeia de abastecimento farmacêutica para a proteção e segurança OEA",
               "A parte de segurança do questionário OEA, aplicada aos medicamentos: avaliação de riscos e ameaças "
               "por instalação, segurança do pessoal e controlo de acessos, selos e a inspeção do contentor em sete "
               "pontos, e a cadeia de frio."),
        "fr": ("Sécuriser la chaîne d'approvisionnement pharmaceutique pour l'OEA sûreté et sécurité",
               "Le volet sécurité du questionnaire OEA appliqué aux médicaments : évaluation des risques et des "
               "menaces par site, sécurité du personnel et contrôle des accès, scellés et inspection du conteneur "
               "en sept points, et chaîne du froid."),
        "es": ("Proteger la cadena de suministro farmacéutica para el OEA de protección y seguridad",
               "La parte de seguridad del cuestionario OEA aplicada a los medicamentos: evaluación de riesgos y "
               "amenazas por instalación, seguridad del personal y control de accesos, precintos y la inspección "
               "del contenedor en siete puntos, y la cadena de frío."),
    },
    "rules-of-origin-for-food": {
        "pt": ("Regras de origem para produtos alimentares e agrícolas",
               "Origem preferencial e não preferencial, produtos inteiramente obtidos, operações de complemento de "
               "fabrico suficientes e insuficientes, acumulação e tolerância, e a prova e os documentos "
               "comprovativos de um pedido de preferência."),
        "fr": ("Règles d'origine des produits alimentaires et agricoles",
               "Origine préférentielle et non préférentielle, produits entièrement obtenus, ouvraisons suffisantes "
               "ou non, cumul et tolérance, et la preuve et les pièces justificatives d'une demande de préférence."),
        "es": ("Normas de origen para productos alimentarios y agrícolas",
               "Origen preferencial y no preferencial, productos enteramente obtenidos, elaboraciones suficientes "
               "e insuficientes, acumulación y tolerancia, y la prueba y la documentación justificativa de una "
               "solicitud de preferencia."),
    },
    "classifying-textiles-and-proving-their-origin": {
        "pt": ("Classificar têxteis e calçado e provar a sua origem",
               "De malha ou tecido, que fibra predomina, o que determina a posição de um sapato, e a regra da dupla "
               "transformação que o vestuário tem de cumprir para a origem preferencial."),
        "fr": ("Classer les textiles et les chaussures et prouver leur origine",
               "Bonneterie ou tissu, quelle fibre prédomine, ce qui détermine la position d'une chaussure, et la "
               "règle de la double transformation que les vêtements doivent respecter pour l'origine préférentielle."),
        "es": ("Clasificar textiles y calzado y probar su origen",
               "De punto o de tejido, qué fibra predomina, qué determina la partida de un zapato, y la regla de la "
               "doble transformación que deben cumplir las prendas para el origen preferencial."),
    },
    "inward-processing-for-vehicle-assembly": {
        "pt": ("Aperfeiçoamento ativo e partes de veículos para fábricas de montagem",
               "Como o aperfeiçoamento ativo suspende os direitos sobre componentes de veículos que são exportados, "
               "o que o mapa de apuramento contabiliza e que partes se classificam na posição 87.08."),
        "fr": ("Perfectionnement actif et parties de véhicules pour les usines d'assemblage",
               "Comment le perfectionnement actif suspend les droits sur les composants des véhicules exportés, ce "
               "que retrace le décompte d'apurement et quelles parties relèvent de la position 87.08."),
        "es": ("Perfeccionamiento activo y partes de vehículos para plantas de montaje",
               "Cómo el perfeccionamiento activo suspende los derechos sobre componentes de vehículos que se "
               "exportan, qué recoge la liquidación y qué partes se clasifican en la partida 87.08."),
    },
    "trade-defence-on-steel-and-aluminium": {
        "pt": ("Direitos anti-dumping e medidas de salvaguarda sobre aço e alumínio",
               "Verificar que direitos de defesa comercial se aplicam a um produto metálico, quando se aplica a "
               "taxa própria de um produtor e como se esgotam os contingentes da salvaguarda do aço."),
        "fr": ("Droits antidumping et sauvegardes sur l'acier et l'aluminium",
               "Vérifier quels droits de défense commerciale s'appliquent à un produit métallique, quand le taux "
               "propre d'un producteur s'applique et comment s'épuisent les contingents de la sauvegarde sur l'acier."),
        "es": ("Derechos antidumping y salvaguardias sobre el acero y el aluminio",
               "Comprobar qué derechos de defensa comercial se aplican a un producto metálico, cuándo se aplica el "
               "tipo propio de un productor y cómo se agotan los contingentes de la salvaguardia del acero."),
    },
    "product-safety-and-online-sales": {
        "pt": ("Segurança dos produtos na fronteira e encomendas vendidas em linha",
               "O que a alfândega verifica nos bens de consumo para a fiscalização do mercado, o que ter pronto "
               "antes da chegada das mercadorias, e as regras de IVA e de direitos para encomendas de baixo valor."),
        "fr": ("Sécurité des produits à la frontière et colis vendus en ligne",
               "Ce que la douane contrôle sur les biens de consommation au titre de la surveillance du marché, ce "
               "qu'il faut avoir avant l'arrivée des marchandises, et les règles de TVA et de droits pour les colis "
               "de faible valeur."),
        "es": ("Seguridad de los productos en la frontera y paquetes vendidos en línea",
               "Qué comprueba la aduana en los bienes de consumo para la vigilancia del mercado, qué tener preparado "
               "antes de que lleguen las mercancías, y las normas de IVA y derechos para los paquetes de escaso "
               "valor."),
    },
    "export-controls-for-dual-use-electronics": {
        "pt": ("Controlo das exportações de eletrónica de dupla utilização",
               "Se um componente é um produto de dupla utilização incluído nas listas, a cláusula de caráter geral, "
               "as autorizações que cobrem uma exportação e os registos que um exportador conserva."),
        "fr": ("Contrôle des exportations d'électronique à double usage",
               "Savoir si un composant est un bien à double usage inscrit sur les listes, la clause attrape-tout, "
               "les autorisations qui couvrent une exportation et les registres que tient un exportateur."),
        "es": ("Control de las exportaciones de electrónica de doble uso",
               "Si un componente es un producto de doble uso incluido en las listas, la cláusula escoba, las "
               "autorizaciones que cubren una exportación y los registros que conserva un exportador."),
    },
    "chemicals-and-plastics-at-the-border": {
        "pt": ("Produtos químicos e plásticos: classificação e substâncias restringidas",
               "Compostos de constituição química definida, misturas e plásticos na pauta, e os precursores, os "
               "gases fluorados e os produtos químicos sujeitos a consentimento prévio que exigem mais do que uma "
               "declaração."),
        "fr": ("Produits chimiques et plastiques : classement et substances soumises à restrictions",
               "Composés de constitution chimique définie, mélanges et plastiques dans le tarif, et les précurseurs, "
               "les gaz fluorés et les produits chimiques soumis au consentement préalable qui exigent plus qu'une "
               "déclaration."),
        "es": ("Productos químicos y plásticos: clasificación y sustancias restringidas",
               "Compuestos de constitución química definida, mezclas y plásticos en el arancel, y los precursores, "
               "los gases fluorados y los productos químicos sujetos a consentimiento previo que exigen algo más "
               "que una declaración."),
    },
    "excise-and-energy-products": {
        "pt": ("Suspensão de impostos especiais de consumo e circulação de produtos energéticos",
               "Entrepostos fiscais e suspensão do imposto para produtos energéticos, contas de existências que a "
               "alfândega pode verificar, e a circulação de produtos ao abrigo do e-DA no EMCS."),
        "fr": ("Suspension des droits d'accise et circulation des produits énergétiques",
               "Entrepôts fiscaux et suspension des droits pour les produits énergétiques, comptabilité matières "
               "vérifiable par la douane, et circulation des produits sous couvert du DAE électronique dans EMCS."),
        "es": ("Suspensión de impuestos especiales y circulación de productos energéticos",
               "Depósitos fiscales y suspensión del impuesto para productos energéticos, contabilidad de "
               "existencias que la aduana puede comprobar, y la circulación de productos al amparo del e-DA en EMCS."),
    },
}


def course_translations(slug: str) -> dict:
    """{"pt": {"title": …, "summary": …}, …} for a demo course, as Course.translations holds it."""
    return {language: {"title": title, "summary": summary}
            for language, (title, summary) in COURSES.get(slug, {}).items()}
