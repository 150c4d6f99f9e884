//! The OpenAPI 3.1 description of `/api/v1`. Written by hand, next to the routes it describes;
//! a test checks that every route of the API router is documented here and vice versa.

use axum::Json;
use domain::award;
use serde_json::{Value, json};

fn problem() -> Value {
    json!({ "description": "Erreur (RFC 9457)", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
}

fn id_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" } })
}

fn ok(schema: &str) -> Value {
    json!({ "description": "OK", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn query(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" }, "description": description })
}

pub fn spec() -> Value {
    let bearer = json!([{ "bearer": [] }, { "cookie": [] }]);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Halle — API des marchés publics d’Île-de-France",
            "version": "1.0.0",
            "description": "Consultations publiques, DCE, questions et réponses. Authentification par jeton (POST /api/v1/auth/token) ou cookie de session. Erreurs au format problem+json (RFC 9457), avec le champ en cause dans `field` et `errors`."
        },
        "paths": {
            "/api/v1/auth/token": { "post": {
                "summary": "Obtenir un jeton d’accès",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Credentials" } } } },
                "responses": { "200": ok("Token"), "401": problem(), "429": problem() }
            }},
            "/api/v1/consultations": {
                "get": {
                    "summary": "Rechercher les consultations publiées et les avis publiés ailleurs (`kind` : consultation ou avis), avec les facettes",
                    "parameters": [
                        query("q", "mots-clés"), query("departement", "75, 77, 78, 91, 92, 93, 94, 95"),
                        query("cpv", "division CPV (2 chiffres) ou code CPV"), query("nature", "travaux, fournitures, services"),
                        query("procedure", "mapa, aoo, aor, pan, dc, mnsp, concours"), query("clause", "sociale"),
                        query("etat", "en_cours ou cloturee"), query("echeance", "semaine ou mois : date limite dans les 7 ou 30 jours"),
                        query("tri", "pertinence (défaut), date_limite ou publication"),
                        query("page", "à partir de 1"), query("per_page", "1 à 100")
                    ],
                    "responses": { "200": ok("SearchResult"), "422": problem() }
                },
                "post": {
                    "summary": "Créer une consultation (acheteur)", "security": bearer,
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsultationInput" } } } },
                    "responses": { "201": ok("Consultation"), "401": problem(), "403": problem(), "422": problem() }
                }
            },
            "/api/v1/consultations/{id}": {
                "get": { "summary": "Une consultation avec ses lots, documents et questions publiques", "parameters": [id_param("id")],
                         "responses": { "200": ok("Consultation"), "404": problem() } },
                "put": { "summary": "Modifier une consultation (après publication : `reason` obligatoire, avis rectificatif)", "security": bearer,
                         "parameters": [id_param("id")],
                         "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsultationInput" } } } },
                         "responses": { "200": ok("Consultation"), "403": problem(), "404": problem(), "409": problem(), "422": problem() } }
            },
            "/api/v1/consultations/{id}/publish": { "post": {
                "summary": "Publier une consultation (acheteur)", "security": bearer, "parameters": [id_param("id")],
                "responses": { "200": ok("Consultation"), "403": problem(), "404": problem(), "409": problem(), "422": problem() }
            }},
            "/api/v1/consultations/{id}/status": { "post": {
                "summary": "Enregistrer l’issue : attribuee, infructueuse, sans_suite", "security": bearer, "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "status": { "type": "string", "enum": ["attribuee", "infructueuse", "sans_suite"] } }, "required": ["status"] } } } },
                "responses": { "200": ok("Consultation"), "403": problem(), "409": problem() }
            }},
            "/api/v1/consultations/{id}/awards": { "post": {
                "summary": "Attribuer la consultation ou un lot (acheteur, après la date limite) : données essentielles DECP ; les entreprises non retenues sont prévenues", "security": bearer,
                "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["titulaire", "amount_cents", "notified_on", "duration_months", "price_form", "price_types", "ccag"],
                    "properties": {
                        "lot": { "type": "integer" },
                        "titulaire": { "type": "object", "properties": { "siret": { "type": "string" }, "name": { "type": "string" } } },
                        "cotraitants": { "type": "array", "items": { "type": "object" } },
                        "sous_traitants": { "type": "array", "items": { "type": "object" } },
                        "grouping": { "type": "string", "enum": codes(award::Grouping::ALL, |v| v.code()) },
                        "amount_cents": { "type": "integer" },
                        "notified_on": { "type": "string", "format": "date" },
                        "duration_months": { "type": "integer" },
                        "price_form": { "type": "string", "enum": codes(award::PriceForm::ALL, |v| v.code()) },
                        "price_types": { "type": "array", "items": { "type": "string", "enum": codes(award::PriceType::ALL, |v| v.code()) } },
                        "techniques": { "type": "array", "items": { "type": "string", "enum": codes(award::Technique::ALL, |v| v.code()) }, "description": "vide : Sans objet" },
                        "modalities": { "type": "array", "items": { "type": "string", "enum": codes(award::Modality::ALL, |v| v.code()) }, "description": "vide : Sans objet" },
                        "ccag": { "type": "string", "enum": codes(award::Ccag::ALL, |v| v.code()) },
                        "innovative": { "type": "boolean" },
                        "advance": { "type": "boolean", "description": "une avance est attribuée au titulaire" },
                        "advance_percent": { "type": "number", "minimum": 0, "maximum": 100, "description": "taux de l’avance en % du montant ; absent : inconnu" },
                        "offers_received": { "type": "integer", "minimum": 1, "description": "absent : les offres déposées sur Halle" }
                    } } } } },
                "responses": { "201": ok("Consultation"), "403": problem(), "409": problem(), "422": problem() }
            }},
            "/api/v1/consultations/{id}/dce": { "get": {
                "summary": "Le DCE complet en un ZIP, sans compte",
                "parameters": [id_param("id"), query("email", "facultatif : pour être prévenu des modifications")],
                "responses": { "200": { "description": "Archive ZIP", "content": { "application/zip": {} } }, "404": problem(), "409": problem() }
            }},
            "/api/v1/consultations/{id}/documents": { "post": {
                "summary": "Ajouter des documents au DCE (multipart, acheteur)", "security": bearer, "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": { "file": { "type": "string", "format": "binary" } } } } } },
                "responses": { "201": { "description": "Documents ajoutés" }, "403": problem(), "409": problem(), "413": problem() }
            }},
            "/api/v1/consultations/{id}/documents/{doc}": { "get": {
                "summary": "Un document du DCE", "parameters": [id_param("id"), id_param("doc"), query("email", "facultatif")],
                "responses": { "200": { "description": "Le fichier" }, "404": problem() }
            }},
            "/api/v1/consultations/{id}/downloads": { "get": {
                "summary": "Registre des retraits (acheteurs de l’organisation)", "security": bearer, "parameters": [id_param("id")],
                "responses": { "200": { "description": "Téléchargements" }, "401": problem(), "403": problem(), "404": problem() }
            }},
            "/api/v1/consultations/{id}/questions": { "post": {
                "summary": "Poser une question (entreprise)", "security": bearer, "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "question": { "type": "string" } }, "required": ["question"] } } } },
                "responses": { "201": { "description": "Question enregistrée" }, "403": problem(), "409": problem(), "422": problem() }
            }},
            "/api/v1/questions/{id}/answer": { "post": {
                "summary": "Répondre à une question (acheteur) ; la réponse est publique, sans l’identité de l’entreprise", "security": bearer,
                "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "answer": { "type": "string" } }, "required": ["answer"] } } } },
                "responses": { "200": { "description": "Réponse publiée" }, "403": problem(), "404": problem(), "422": problem() }
            }},
            "/api/v1/consultations/{id}/bids": { "post": {
                "summary": "Déposer un pli (entreprise) : fichiers scellés dès leur arrivée ; réponse : l’accusé de réception signé", "security": bearer,
                "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
                    "candidature": { "type": "array", "items": { "type": "string", "format": "binary" } },
                    "offre": { "type": "array", "items": { "type": "string", "format": "binary" } },
                    "lots": { "type": "string", "description": "numéros de lots, séparés par des virgules" }
                } } } } },
                "responses": { "201": { "description": "Accusé de réception signé (Ed25519), vérifiable avec `halle verify-receipt`", "content": { "application/json": {} } },
                               "401": problem(), "403": problem(), "404": problem(), "409": problem(), "413": problem(), "422": problem() }
            }},
            "/api/v1/consultations/{id}/deposit-register": { "get": {
                "summary": "Registre des dépôts (acheteurs de l’organisation) : le nombre avant la date limite, la liste après", "security": bearer,
                "parameters": [id_param("id")],
                "responses": { "200": { "description": "`{count, bids}` (`bids` nul avant la date limite)" }, "401": problem(), "403": problem(), "404": problem() }
            }},
            "/api/v1/bids/{id}/receipt": { "get": {
                "summary": "L’accusé de réception signé d’un pli (l’entreprise qui l’a déposé)", "security": bearer, "parameters": [id_param("id")],
                "responses": { "200": { "description": "Accusé de réception", "content": { "application/json": {} } }, "404": problem() }
            }},
            "/api/v1/me/opening-key": { "put": {
                "summary": "Enregistrer sa clé d’ouverture (acheteur) : la clé publique age (age1…) d’une paire créée avec age-keygen", "security": bearer,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "public_key": { "type": "string" } }, "required": ["public_key"] } } } },
                "responses": { "200": { "description": "Clé enregistrée" }, "401": problem(), "403": problem(), "422": problem() }
            }},
            "/api/v1/consultations/{id}/opening": { "get": {
                "summary": "Où en est l’ouverture des plis (acheteurs de l’organisation, après la date limite)", "security": bearer,
                "parameters": [id_param("id")],
                "responses": { "200": { "description": "État de l’ouverture et plis" }, "403": problem(), "404": problem() }
            }},
            "/api/v1/consultations/{id}/opening/unlock": { "post": {
                "summary": "Déverrouiller les plis avec sa clé secrète d’ouverture (membre de la commission, après la date limite ; la clé n’est pas conservée)", "security": bearer,
                "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "secret": { "type": "string", "description": "AGE-SECRET-KEY-1…" } }, "required": ["secret"] } } } },
                "responses": { "200": { "description": "Plis déverrouillés" }, "403": problem(), "409": problem(), "422": problem() }
            }},
            "/api/v1/consultations/{id}/opening/{envelope}": { "post": {
                "summary": "Ouvrir une enveloppe de tous les plis à ouvrir : candidature, puis offre", "security": bearer,
                "parameters": [id_param("id"), { "name": "envelope", "in": "path", "required": true, "schema": { "type": "string", "enum": ["candidature", "offre"] } }],
                "responses": { "200": { "description": "Enveloppe ouverte" }, "403": problem(), "404": problem(), "409": problem() }
            }},
            "/api/v1/bids/{id}/files/{index}": { "get": {
                "summary": "Un fichier d’une enveloppe ouverte, déchiffré à la volée (acheteurs de l’organisation)", "security": bearer,
                "parameters": [id_param("id"), id_param("index")],
                "responses": { "200": { "description": "Le fichier" }, "403": problem(), "404": problem(), "409": problem() }
            }},
            "/api/v1/bids/{id}/receipt.pdf": { "get": {
                "summary": "L’accusé de réception en PDF imprimable (le JSON signé seul fait foi)", "security": bearer, "parameters": [id_param("id")],
                "responses": { "200": { "description": "PDF", "content": { "application/pdf": {} } }, "404": problem() }
            }},
            "/api/v1/consultations/{id}/opening/report.pdf": { "get": {
                "summary": "Le procès-verbal d’ouverture des plis (PDF), une fois les plis déverrouillés", "security": bearer, "parameters": [id_param("id")],
                "responses": { "200": { "description": "PDF", "content": { "application/pdf": {} } }, "403": problem(), "409": problem() }
            }},
            "/api/v1/consultations/{id}/backup-copies": {
                "post": { "summary": "Déclarer une copie de sauvegarde (entreprise, avant la date limite)", "security": bearer, "parameters": [id_param("id")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "medium": { "type": "string", "enum": ["papier", "support physique électronique"] } } } } } },
                    "responses": { "201": { "description": "Copie déclarée" }, "403": problem(), "409": problem(), "422": problem() } },
                "get": { "summary": "Les copies de sauvegarde (acheteurs de l’organisation)", "security": bearer, "parameters": [id_param("id")],
                    "responses": { "200": { "description": "Copies" }, "403": problem() } }
            },
            "/api/v1/backup-copies/{id}/{event}": { "post": {
                "summary": "Enregistrer l’arrivée (`received`), l’ouverture dans un cas légal (`open`, avec `reason` : programme_malveillant ou pli_incomplet_tardif_ou_illisible) ou la destruction (`destroy`) d’une copie", "security": bearer,
                "parameters": [id_param("id"), { "name": "event", "in": "path", "required": true, "schema": { "type": "string", "enum": ["received", "open", "destroy"] } }],
                "responses": { "204": { "description": "Enregistré" }, "403": problem(), "409": problem(), "422": problem() }
            }},
            "/api/v1/opendata/ocds.json": { "get": {
                "summary": "Données ouvertes : paquet de publications OCDS 1.1.5 de toutes les consultations publiées (appel d’offres, attribution, contrat), Licence Ouverte 2.0",
                "responses": { "200": { "description": "Release package OCDS", "content": { "application/json": {} } } }
            }},
            "/api/v1/opendata/decp.json": { "get": {
                "summary": "Données ouvertes : données essentielles DECP v2 (schéma 2.0.3) de tous les marchés attribués sur Halle et des données importées, Licence Ouverte 2.0",
                "responses": { "200": { "description": "{ marches: { marche: [...] } }", "content": { "application/json": {} } } }
            }},
            "/api/v1/organisations/{id}/profile": { "put": {
                "summary": "Coordonnées d’une organisation acheteuse et instance de recours, pour les avis officiels (administrateur de l’organisation ou de la plateforme)", "security": bearer,
                "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["phone", "email", "postcode", "town", "review_name", "review_siret", "review_postcode", "review_town"],
                    "properties": {
                        "phone": { "type": "string" }, "email": { "type": "string" }, "postcode": { "type": "string" }, "town": { "type": "string" },
                        "review_name": { "type": "string" }, "review_siret": { "type": "string" }, "review_postcode": { "type": "string" }, "review_town": { "type": "string" }
                    } } } } },
                "responses": { "200": { "description": "Les coordonnées enregistrées", "content": { "application/json": {} } }, "403": problem(), "404": problem(), "409": problem(), "422": problem() }
            }},
            "/api/v1/saved-searches": {
                "get": {
                    "summary": "Vos recherches enregistrées (veille), avec leurs flux Atom et calendriers : { items }", "security": bearer,
                    "responses": { "200": { "description": "Les recherches", "content": { "application/json": {} } }, "401": problem() }
                },
                "post": {
                    "summary": "Enregistre une recherche : les nouvelles consultations qui y répondent vous sont envoyées par courriel, dès leur publication ou dans un résumé quotidien", "security": bearer,
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                        "required": ["name", "query", "frequency"],
                        "properties": {
                            "name": { "type": "string", "maxLength": 120 },
                            "query": { "type": "string", "description": "les paramètres de la recherche, comme sur /consultations : q=toiture&departement=93" },
                            "frequency": { "type": "string", "enum": domain::alert::Frequency::ALL.iter().map(|f| f.code()).collect::<Vec<_>>() }
                        } } } } },
                    "responses": { "201": { "description": "La recherche enregistrée", "content": { "application/json": {} } }, "401": problem(), "409": problem(), "422": problem() }
                }
            },
            "/api/v1/saved-searches/{id}": {
                "put": {
                    "summary": "Change la fréquence des courriels d’une de vos recherches", "security": bearer,
                    "parameters": [id_param("id")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["frequency"],
                        "properties": { "frequency": { "type": "string", "enum": domain::alert::Frequency::ALL.iter().map(|f| f.code()).collect::<Vec<_>>() } } } } } },
                    "responses": { "200": { "description": "La recherche", "content": { "application/json": {} } }, "401": problem(), "404": problem(), "422": problem() }
                },
                "delete": {
                    "summary": "Supprime une de vos recherches", "security": bearer,
                    "parameters": [id_param("id")],
                    "responses": { "204": { "description": "Supprimée" }, "401": problem(), "404": problem() }
                }
            },
            "/api/v1/practices": {
                "get": {
                    "summary": "La bibliothèque des clauses types et bonnes pratiques, mises en avant d’abord puis les plus reprises : { items }",
                    "parameters": [query("q", "mots-clés, tous requis"), query("base", "base légale : L2112-2, L2152-7, L2113-12, L2113-13, L2113-15, R2123-1"), query("cpv", "division ou code CPV"), query("type", "clause ou pratique")],
                    "responses": { "200": { "description": "Les fiches", "content": { "application/json": {} } }, "422": problem() }
                },
                "post": {
                    "summary": "Publie une fiche (acheteurs et facilitateurs)", "security": bearer,
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                        "required": ["kind", "title", "body"],
                        "properties": {
                            "kind": { "type": "string", "enum": ["clause", "pratique"] },
                            "title": { "type": "string", "maxLength": 200 },
                            "legal_basis": { "type": "string" },
                            "cpv": { "type": "string", "description": "codes CPV séparés par des virgules" },
                            "body": { "type": "string" }
                        } } } } },
                    "responses": { "201": { "description": "La fiche publiée", "content": { "application/json": {} } }, "401": problem(), "403": problem(), "422": problem() }
                }
            },
            "/api/v1/practices/{id}": { "get": {
                "summary": "Une fiche de la bibliothèque, avec son texte, ses commentaires et ses pièces jointes (attachments : [{id, name, size, sha256, url}])",
                "parameters": [id_param("id")],
                "responses": { "200": { "description": "La fiche", "content": { "application/json": {} } }, "404": problem() }
            }},
            "/api/v1/practices/{id}/attachments": { "post": {
                "summary": "Joindre des fichiers à une fiche (multipart, son auteur ou la coordination) : tous ou aucun ; réponse : { attachments }", "security": bearer,
                "parameters": [id_param("id")],
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
                    "file": { "type": "array", "items": { "type": "string", "format": "binary" } }
                } } } } },
                "responses": { "201": { "description": "Pièces jointes ajoutées", "content": { "application/json": {} } },
                               "401": problem(), "403": problem(), "404": problem(), "413": problem(), "422": problem() }
            }},
            "/api/v1/practices/{id}/attachments/{attachment}": {
                "get": {
                    "summary": "Une pièce jointe d’une fiche, sans compte",
                    "parameters": [id_param("id"), id_param("attachment")],
                    "responses": { "200": { "description": "Le fichier" }, "404": problem() }
                },
                "delete": {
                    "summary": "Retire une pièce jointe (l’auteur de la fiche ou la coordination)", "security": bearer,
                    "parameters": [id_param("id"), id_param("attachment")],
                    "responses": { "204": { "description": "Retirée" }, "401": problem(), "403": problem(), "404": problem() }
                }
            },
            "/api/v1/cpv": { "get": {
                "summary": "Codes CPV 2008 dont le code commence par les chiffres tapés ou dont le libellé contient les mots tapés (les plus généraux d’abord) : { items: [{code, label}] }",
                "parameters": [query("q", "début de code ou mots du métier")],
                "responses": { "200": { "description": "Au plus 12 codes", "content": { "application/json": {} } } }
            }},
            "/api/v1/communes": { "get": {
                "summary": "Communes d’Île-de-France dont le nom ou le code INSEE commence par le texte tapé : { items: [{code, name, departement}] }",
                "parameters": [query("q", "début du nom ou du code")],
                "responses": { "200": { "description": "Au plus 12 communes", "content": { "application/json": {} } } }
            }},
            "/api/v1/inclusive-suppliers": { "get": {
                "summary": "L’annuaire des structures inclusives d’Île-de-France (SIAE, EA, ESAT, GEIQ) : { total, page, items }, 20 par page",
                "parameters": [
                    query("secteur", "métier : batiment, proprete, espaces-verts, dechets, restauration…"),
                    query("departement", "code du département"),
                    query("commune", "début du nom de la commune ou du code postal"),
                    query("type", "ACI, AI, EI, ETTI, EITI, GEIQ, EA, ESAT"),
                    query("page", "à partir de 1")
                ],
                "responses": { "200": { "description": "Une page de structures", "content": { "application/json": {} } }, "422": problem() }
            }},
            "/api/v1/clauses/hours": { "get": {
                "summary": "Calculer les heures d’insertion d’une clause sociale : montant HT × part de main-d’œuvre × taux d’insertion ÷ coût horaire moyen, arrondi à l’heure la plus proche",
                "parameters": [
                    { "name": "amount", "in": "query", "required": true, "schema": { "type": "integer" }, "description": "montant HT en centimes" },
                    { "name": "labour_share", "in": "query", "required": true, "schema": { "type": "string" }, "description": "part de main-d’œuvre en %, par exemple 50 ou 45,5" },
                    { "name": "rate", "in": "query", "required": true, "schema": { "type": "string" }, "description": "taux d’insertion en % des heures, par exemple 5" },
                    { "name": "hourly_cost", "in": "query", "required": true, "schema": { "type": "integer" }, "description": "coût horaire moyen chargé en centimes" }
                ],
                "responses": { "200": { "description": "Le nombre d’heures", "content": { "application/json": { "schema": { "type": "object", "properties": { "hours": { "type": "integer" } }, "required": ["hours"] } } } }, "422": problem() }
            }},
            "/api/v1/clauses/contracts": { "get": {
                "summary": "Les contrats avec clause sociale que suit l’appelant (facilitateurs : leurs départements ; entreprises : les leurs ; acheteurs : ceux de leur organisation ; coordination : tous), avec les heures requises et validées : { items }",
                "security": bearer,
                "responses": { "200": { "description": "{ items: [{consultation, reference, title, lot, lot_title, buyer, titulaire, departement, hours_required, hours_validated, url}] }", "content": { "application/json": {} } }, "401": problem(), "403": problem() }
            }},
            "/api/v1/clauses/contracts/{id}/{lot}": { "get": {
                "summary": "Le suivi d’un contrat avec clause sociale : engagement, placements (bénéficiaires par leur numéro pseudonyme), heures mensuelles et leur état, pénalités",
                "security": bearer,
                "parameters": [id_param("id"), id_param("lot")],
                "responses": { "200": { "description": "Le contrat et son suivi", "content": { "application/json": {} } }, "401": problem(), "403": problem(), "404": problem() }
            }},
            "/api/v1/beneficiaries": { "get": {
                "summary": "Les bénéficiaires des clauses sociales du territoire de l’appelant (facilitateurs) : profils pseudonymisés, sans aucune donnée d’identité",
                "security": bearer,
                "parameters": [query("departement", "un des départements de l’appelant")],
                "responses": { "200": { "description": "{ items } : id, departement, birth_year, sex, commune, qpv, diploma, criteria, prescriber, retention_until", "content": { "application/json": {} } }, "401": problem(), "403": problem() }
            }},
            "/api/v1/indicators": { "get": {
                "summary": "Indicateurs publics des clauses sociales, recalculés à chaque appel : contrats avec clause, heures requises et réalisées, bénéficiaires, part des femmes et des habitants des QPV, tranches d’âge, heures par modalité, situations à la sortie, parts des marchés ; les effectifs de moins de 5 personnes sont masqués (null)",
                "parameters": [query("departement", "75, 77, 78, 91, 92, 93, 94, 95"), query("operation", "identifiant d’une opération"), query("year", "année, par exemple 2027"), query("buyer", "identifiant de l’organisation acheteuse")],
                "responses": { "200": { "description": "Les indicateurs", "content": { "application/json": {} } }, "422": problem() }
            }},
            "/api/v1/notices": { "get": {
                "summary": "Les avis des acheteurs d’Île-de-France publiés ailleurs (BOAMP, TED), les plus récents d’abord : { total, page, items }",
                "parameters": [query("q", "mots-clés, tous requis"), query("departement", "code du département"), query("etat", "en_cours : date limite non passée"), query("page", "à partir de 1")],
                "responses": { "200": { "description": "Une page d’avis", "content": { "application/json": {} } } }
            }},
            "/api/v1/notices/{id}": { "get": {
                "summary": "Un avis publié ailleurs, avec le lien vers l’original, ses autres publications et les avis qui le modifient",
                "parameters": [id_param("id")],
                "responses": { "200": { "description": "L’avis", "content": { "application/json": {} } }, "404": problem() }
            }},
            "/api/v1/transparency/head": { "get": {
                "summary": "La tête signée du journal de transparence (RFC 6962) : nombre d’accusés de réception et racine de l’arbre de Merkle",
                "responses": { "200": { "description": "Document signé (Ed25519), vérifiable avec `halle verify-receipt`", "content": { "application/json": {} } } }
            }},
            "/api/v1/transparency/proof": { "get": {
                "summary": "La preuve d’inclusion d’un accusé de réception dans le journal (feuille = SHA-256(0x00 ‖ octets de l’accusé))",
                "parameters": [{ "name": "bid", "in": "query", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "`{leaf_index, leaf_hash, tree_size, root_hash, audit_path}`" }, "404": problem() }
            }},
            "/api/v1/transparency/consistency": { "get": {
                "summary": "La preuve que le journal de `from` feuilles est le début de celui de `to` feuilles (il ne fait que croître)",
                "parameters": [
                    { "name": "from", "in": "query", "required": true, "schema": { "type": "integer" } },
                    { "name": "to", "in": "query", "required": true, "schema": { "type": "integer" } }
                ],
                "responses": { "200": { "description": "`{from, to, from_root, to_root, proof}`" }, "422": problem() }
            }},
            "/api/v1/consultations/{id}/deposits/statement": { "get": {
                "summary": "Le relevé signé des plis reçus dans les délais, figé à la date limite",
                "parameters": [id_param("id")],
                "responses": { "200": { "description": "Document signé", "content": { "application/json": {} } }, "404": problem(), "409": problem() }
            }},
            "/.well-known/halle/receipt-key": { "get": {
                "summary": "La clé publique Ed25519 (base64) qui signe les accusés de réception",
                "responses": { "200": { "description": "text/plain" } }
            }},
            "/api/v1/openapi.json": { "get": { "summary": "Ce document", "responses": { "200": { "description": "OpenAPI 3.1" } } } }
        },
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": "halle_session" }
            },
            "schemas": {
                "Problem": { "type": "object", "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" },
                    "field": { "type": "string" },
                    "errors": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } }
                }},
                "Credentials": { "type": "object", "required": ["email", "password"], "properties": { "email": { "type": "string" }, "password": { "type": "string" } } },
                "Token": { "type": "object", "properties": { "token": { "type": "string" }, "token_type": { "type": "string" }, "expires_in": { "type": "integer" } } },
                "Lot": { "type": "object", "required": ["title"], "properties": { "title": { "type": "string" }, "cpv": { "type": "string" }, "estimated_value_cents": { "type": "integer" } } },
                "ConsultationInput": { "type": "object",
                    "required": ["title", "object", "nature", "procedure", "cpv", "departement", "bid_deadline"],
                    "properties": {
                        "title": { "type": "string" }, "object": { "type": "string" },
                        "nature": { "type": "string", "enum": ["travaux", "fournitures", "services"] },
                        "procedure": { "type": "string", "enum": ["mapa", "aoo", "aor", "pan", "dc", "mnsp", "concours"] },
                        "cpv": { "type": "string", "example": "45442100-8" }, "cpv_additional": { "type": "array", "items": { "type": "string" } },
                        "departement": { "type": "string", "example": "93" }, "commune": { "type": "string", "description": "code INSEE" },
                        "estimated_value_cents": { "type": "integer", "description": "centimes d’euro HT" },
                        "questions_deadline": { "type": "string", "format": "date-time" },
                        "bid_deadline": { "type": "string", "format": "date-time", "example": "2026-12-15T12:00:00+01:00" },
                        "contact": { "type": "string" },
                        "social_considerations": { "type": "array", "items": { "type": "string", "enum": ["Clause sociale", "Critère social", "Marché réservé", "Pas de considération sociale"] } },
                        "environmental_considerations": { "type": "array", "items": { "type": "string", "enum": ["Clause environnementale", "Critère environnemental", "Pas de considération environnementale"] } },
                        "lots": { "type": "array", "items": { "$ref": "#/components/schemas/Lot" } },
                        "criteria": { "type": "array", "description": "critères d’attribution pondérés (total 100 %) ; vide : dans le règlement de la consultation", "items": { "type": "object", "required": ["kind", "name", "weight"], "properties": {
                            "kind": { "type": "string", "enum": codes(domain::criteria::CriterionKind::ALL, |v| v.code()) }, "name": { "type": "string" }, "weight": { "type": "integer", "minimum": 1, "maximum": 100 } } } },
                        "tender_validity_days": { "type": "integer", "minimum": 1, "maximum": 730, "description": "durée de validité des offres" },
                        "reason": { "type": "string", "description": "motif, obligatoire pour modifier une consultation publiée" }
                    }
                },
                "Consultation": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "reference": { "type": "string" }, "title": { "type": "string" }, "object": { "type": "string" },
                    "buyer": { "type": "object" }, "nature": { "type": "string" }, "procedure": { "type": "string" }, "cpv": { "type": "string" },
                    "place": { "type": "object" }, "bid_deadline": { "type": "string", "format": "date-time" },
                    "status": { "type": "string" }, "phase": { "type": "string" }, "dce_version": { "type": "integer" },
                    "lots": { "type": "array", "items": { "$ref": "#/components/schemas/Lot" } },
                    "documents": { "type": "array", "items": { "type": "object" } },
                    "questions": { "type": "array", "items": { "type": "object" } },
                    "rectificatifs": { "type": "array", "items": { "type": "object" } }
                }},
                "SearchResult": { "type": "object", "properties": {
                    "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" },
                    "items": { "type": "array", "items": { "type": "object" } }, "facets": { "type": "object" }
                }}
            }
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every path routed in `api/mod.rs` is documented, and nothing else is.
    #[test]
    fn documents_exactly_the_routed_paths() {
        // rustfmt may put a long path on the line after `.route(`.
        let routed: BTreeSet<String> = include_str!("mod.rs")
            .split(".route(")
            .skip(1)
            .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
            .map(str::to_string)
            .collect();
        let spec = super::spec();
        let documented: BTreeSet<String> = spec["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(routed, documented);
        assert!(routed.len() >= 10);
    }
}
