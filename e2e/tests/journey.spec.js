// The spine of Halle in a real browser, against `halle demo`:
//   1. a visitor finds a consultation and downloads its DCE as a ZIP;
//   2. a buyer creates a consultation with two lots, adds a document and publishes it;
//   3. a firm saves a search, asks a question on the consultation, then deposits a sealed pli
//      and downloads its signed receipt;
//   4. the buyer checks their opening key, sees that one pli arrived (sealed until the deadline)
//      and answers the question;
//   5. a visitor reads the answer, without the firm's identity, and finds the test consultation;
//   6. the buyer drafts a social clause on the new consultation (the calculator without
//      JavaScript), the demo facilitator follows contracts, beneficiaries and operations, a firm
//      its own contracts, and a visitor reads the public indicators.
// axe-core checks every distinct page on the way against WCAG 2.1 A and AA.

const fs = require('node:fs');
const { test, expect } = require('@playwright/test');
const { default: AxeBuilder } = require('@axe-core/playwright');

const PASSWORD = 'demo-halle';
const BUYER = 'acheteur@demo.halle.test';
const FIRM = 'entreprise@demo.halle.test';
const FACILITATOR = 'facilitateur@demo.halle.test';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Each page (by name) is checked once; violations are reported, readably, at the end. */
const audited = new Map();

async function axe(page, name) {
  if (audited.has(name)) return;
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  audited.set(name, { url: page.url(), violations: result.violations });
  const review = result.incomplete.map((r) => `${r.id}×${r.nodes.length}`).join(', ');
  console.log(`axe « ${name} »: ${result.passes.length} rules pass, ${result.violations.length} violated` +
    (review ? `; to review by hand: ${review}` : ''));
  expect.soft(describeViolations(name, page.url(), result.violations), `axe-core on « ${name} »`).toBe('');
}

function describeViolations(name, url, violations) {
  if (violations.length === 0) return '';
  const lines = [`${violations.length} WCAG violation(s) on « ${name} » (${url}):`];
  for (const v of violations) {
    lines.push(`- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes.slice(0, 5)) {
      lines.push(`    at ${node.target.join(' ')}`);
      lines.push(`       ${node.html.slice(0, 200)}`);
      for (const s of (node.failureSummary || '').split('\n').slice(1, 3)) lines.push(`       ${s.trim()}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

async function login(page, email) {
  await expect(page).toHaveURL(/\/connexion/);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

/** `YYYY-MM-DDTHH:MM` in Paris time, `days` from now at `hour`:00, for datetime-local inputs. */
function parisLocal(days, hour) {
  const d = new Date(Date.now() + days * 86_400_000);
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return `${date}T${String(hour).padStart(2, '0')}:00`;
}

test('a consultation from publication to a public answer', async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const title = `Travaux de peinture des écoles Jean Jaurès et Paul Éluard — essai ${stamp}`;
  const question = `Le lot 2 comprend-il la dépose des anciens revêtements ? (${stamp})`;
  const answer = `Oui : la dépose et l’évacuation des anciens revêtements sont comprises dans le lot 2. (${stamp})`;
  let consultationUrl;
  let asker;

  await test.step('a visitor finds a consultation and downloads its DCE', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveTitle(/Halle/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await axe(page, 'accueil');

    const search = page.getByRole('search', { name: 'Rechercher des consultations' });
    await search.getByLabel('Département').selectOption('93');
    await search.getByLabel('État').selectOption('en_cours');
    await search.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page).toHaveURL(/\/consultations\?.*departement=93/);
    await expect(page.getByRole('status')).toContainText(/consultations? trouvées?/);
    await axe(page, 'liste filtrée');

    // The first open consultation of the département that has documents.
    const links = page.locator('.resultats h2 a');
    const count = await links.count();
    expect(count, 'the filtered list shows open consultations in Seine-Saint-Denis').toBeGreaterThan(0);
    const hrefs = [];
    for (let i = 0; i < count; i++) hrefs.push(await links.nth(i).getAttribute('href'));
    let found = false;
    for (const href of hrefs) {
      await page.goto(href);
      if (await page.getByRole('button', { name: /Télécharger le DCE complet/ }).count()) {
        found = true;
        break;
      }
    }
    expect(found, 'one open consultation in the 93 has a DCE').toBe(true);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('Date limite de remise des plis')).toBeVisible();
    await axe(page, 'consultation (public)');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Télécharger le DCE complet/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/i);
    const path = await download.path();
    const bytes = fs.readFileSync(path);
    expect(bytes.length).toBeGreaterThan(22);
    expect(bytes.subarray(0, 2).toString('latin1'), 'a ZIP starts with PK').toBe('PK');
    await context.close();
  });

  await test.step('a buyer creates a consultation with two lots, adds a document and publishes it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/connexion');
    await axe(page, 'connexion');
    await login(page, BUYER);
    await expect(page).toHaveURL(/\/acheteur$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Espace acheteur');
    await axe(page, 'espace acheteur');

    await page.getByRole('link', { name: 'Coordonnées de l’organisation et instance de recours' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Coordonnées de');
    await axe(page, 'coordonnées de l’organisation');
    await page.goto('/acheteur');

    await page.getByRole('link', { name: 'Créer une consultation' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle consultation' })).toBeVisible();
    await axe(page, 'formulaire de consultation');

    await page.getByLabel('Intitulé', { exact: true }).fill(title);
    await page.getByLabel('Objet', { exact: true }).fill(
      'Remise en peinture des salles de classe et réfection des sols des couloirs, pendant les vacances scolaires.',
    );
    await page.getByLabel('Nature', { exact: true }).selectOption('travaux');
    await page.getByLabel('Procédure', { exact: true }).selectOption('mapa');
    // With JavaScript, htmx offers codes as one types (the datalist fills from /suggestions/cpv).
    await page.getByLabel('Code CPV principal').pressSequentially('travaux de peinture');
    await expect(page.locator('#cpv-options option[value="45442100-8"]')).toHaveCount(1);
    await page.getByLabel('Code CPV principal').fill('45442100-8');
    await page.getByLabel('Codes CPV complémentaires (facultatif)').fill('45432100-5');
    await page.getByLabel('Département d’exécution').selectOption('93');
    await page.getByLabel('Valeur estimée en euros HT (facultatif)').fill('180000');
    await page.getByLabel('Date limite des questions (facultatif)').fill(parisLocal(20, 12));
    await page.getByLabel('Date limite de remise des plis').fill(parisLocal(30, 12));
    await page.getByLabel('Clause sociale', { exact: true }).check();
    await page.getByLabel('Lot 1 — intitulé').fill('Peinture intérieure');
    await page.getByLabel('Lot 1 — code CPV (facultatif)').fill('45442100-8');
    await page.getByLabel('Lot 1 — valeur estimée HT (facultatif)').fill('120000');
    await page.getByLabel('Lot 2 — intitulé').fill('Revêtements de sols');
    await page.getByLabel('Lot 2 — code CPV (facultatif)').fill('45432100-5');
    await page.getByLabel('Lot 2 — valeur estimée HT (facultatif)').fill('60000');
    await page.getByLabel('Contact pour les entreprises (facultatif)').fill('Direction de la commande publique — marches@demo.halle.test');
    await page.getByRole('button', { name: 'Enregistrer' }).click();

    await expect(page, 'the form is accepted').toHaveURL(/\/acheteur\/consultations\/\d+$/);
    const id = page.url().match(/\/acheteur\/consultations\/(\d+)$/)[1];
    consultationUrl = `/consultations/${id}`;
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.locator('.fiche')).toContainText('Brouillon');
    const lots = page.getByRole('table', { name: 'Lots de la consultation' });
    await expect(lots.getByRole('row')).toHaveCount(3);
    await expect(lots).toContainText('Peinture intérieure');
    await expect(lots).toContainText('Revêtements de sols');
    await axe(page, 'gestion (brouillon)');

    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
        '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      'latin1',
    );
    await page.getByLabel('Ajouter des documents au DCE').setInputFiles({
      name: 'Règlement de la consultation.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await expect(page).toHaveURL(/\/acheteur\/consultations\/\d+#dce$/);
    await expect(page.getByRole('link', { name: /Règlement de la consultation.*\.pdf/ })).toBeVisible();

    await page.getByRole('button', { name: 'Publier la consultation' }).click();
    await expect(page.locator('.fiche')).toContainText('En cours');
    await expect(page.getByRole('button', { name: 'Publier la consultation' })).toHaveCount(0);
    await axe(page, 'gestion (publiée)');
    await context.close();
  });

  await test.step('a firm opens the consultation and asks a question', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/consultations');
    await page.getByLabel('Mots-clés').fill(stamp);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(new RegExp(`${consultationUrl}$`));
    await expect(page.getByRole('link', { name: /Règlement de la consultation/ })).toBeVisible();

    await page.getByRole('link', { name: 'Connectez-vous' }).click();
    await login(page, FIRM);
    await expect(page).toHaveURL(new RegExp(`${consultationUrl}$`));
    await axe(page, 'consultation (entreprise connectée)');

    // The firm saves a search to be told of new consultations, then comes back.
    await page.goto('/consultations?q=peinture&departement=93');
    await page.getByText('Être averti par courriel des nouvelles consultations de cette recherche').click();
    await page.getByLabel('Nom de la recherche').fill('Peinture en Seine-Saint-Denis');
    await page.getByLabel('Courriels').selectOption('quotidien');
    await page.getByRole('button', { name: 'Enregistrer cette recherche' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes recherches enregistrées' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Peinture en Seine-Saint-Denis', exact: true })).toBeVisible();
    await axe(page, 'mes recherches enregistrées');
    await page.goto(consultationUrl);

    await page.getByLabel('Poser une question à l’acheteur').fill(question);
    await page.getByRole('button', { name: 'Envoyer la question' }).click();
    await expect(page.getByRole('status')).toContainText('Votre question a été transmise');
    // Questions become public only with their answer.
    await expect(page.locator('.question', { hasText: question })).toHaveCount(0);

    // A sealed pli: one file in each envelope, for lot 2 only.
    await expect(page.getByRole('heading', { level: 2, name: 'Déposer un pli' })).toBeVisible();
    await page.getByLabel('Candidature (DC1, DC2, DUME…)').setInputFiles({
      name: `DC1-candidature-${stamp}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`Lettre de candidature (DC1) de l’entreprise de démonstration — ${stamp}\n`, 'utf8'),
    });
    await page.getByLabel('Offre (acte d’engagement, mémoire technique, prix…)').setInputFiles({
      name: `Acte-d-engagement-${stamp}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`Acte d’engagement, lot 2 : 58 000 € HT — ${stamp}\n`, 'utf8'),
    });
    await page.getByLabel('Lot 2 — Revêtements de sols').check();
    await page.getByRole('button', { name: 'Déposer le pli' }).click();

    const receiptHeading = page.getByRole('heading', { level: 1, name: /Accusé de réception du pli n°/ });
    await expect(receiptHeading).toBeVisible();
    await expect(page.getByRole('status')).toContainText('reçu dans les délais');
    const bid = (await receiptHeading.innerText()).match(/n°\s*(\d+)/)[1];
    const files = page.getByRole('table', { name: 'Fichiers reçus' });
    await expect(files.getByRole('row')).toHaveCount(3);
    await expect(files).toContainText(`DC1-candidature-${stamp}.txt`);
    await expect(files).toContainText(`Acte-d-engagement-${stamp}.txt`);
    await expect(page.locator('.fiche')).toContainText(title);
    await axe(page, 'accusé de réception');

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger l’accusé de réception signé (JSON)' }).click(),
    ]);
    expect(json.suggestedFilename()).toMatch(/\.json$/i);
    const signed = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
    expect(signed.receipt, 'the signed file holds the receipt').toBeTruthy();
    expect(signed.receipt.late, 'received before the deadline').toBe(false);
    expect(String(signed.receipt.bid)).toBe(bid);
    expect(signed.receipt.files).toHaveLength(2);
    expect(typeof signed.signature, 'the receipt is signed').toBe('string');
    expect(signed.signature.length).toBeGreaterThan(0);

    const [printable] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Version imprimable (PDF)' }).click(),
    ]);
    expect(printable.suggestedFilename()).toMatch(/\.pdf$/i);
    const pdfBytes = fs.readFileSync(await printable.path());
    expect(pdfBytes.subarray(0, 5).toString('latin1'), 'a PDF starts with %PDF').toBe('%PDF-');
    await context.close();
  });

  await test.step('the buyer answers the question', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/connexion');
    await login(page, BUYER);

    // The demo registered the buyer's opening key: that is what sealed the pli.
    await page.getByRole('link', { name: 'Ma clé d’ouverture' }).click();
    await expect(page).toHaveURL(/\/acheteur\/cle-ouverture$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Ma clé d’ouverture des plis' })).toBeVisible();
    await expect(page.getByText('Votre clé enregistrée')).toContainText(/age1[0-9a-z]{20,}/);
    await axe(page, 'clé d’ouverture');

    await page.goto('/acheteur');
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

    const asked = page.locator('.question', { hasText: question });
    await expect(asked).toBeVisible();
    // The buyer sees who asked: « Question du … — Organisation (e-mail) : ».
    const header = await asked.locator('p').first().innerText();
    asker = header.split(' — ').slice(1).join(' — ').replace(/\s*:\s*$/, '').trim();
    expect(asker, 'the buyer sees the asker').toContain(FIRM);
    await axe(page, 'gestion (question à traiter)');

    await asked.getByLabel('Votre réponse (publiée sans l’identité de l’entreprise)').fill(answer);
    await asked.getByRole('button', { name: 'Publier la réponse' }).click();
    await expect(page).toHaveURL(/#questions$/);
    const answered = page.locator('.question', { hasText: question });
    await expect(answered).toContainText('Réponse publiée');
    await expect(answered).toContainText(answer);

    // One pli, sealed: counted, but its detail stays hidden until the deadline.
    const deposits = page.locator('h2#depots');
    await expect(deposits).toHaveText('Registre des dépôts et ouverture des plis');
    await expect(page.getByText('1 pli reçu à ce jour')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Registre des dépôts' })).toHaveCount(0);
    await expect(page.locator('main')).not.toContainText(`DC1-candidature-${stamp}`);
    await axe(page, 'gestion (registre des dépôts)');
    await context.close();
  });

  await test.step('a visitor reads the answer, without the firm’s identity', async () => {
    const context = await browser.newContext();
    expect(await context.cookies()).toEqual([]);
    const page = await context.newPage();
    await page.goto(consultationUrl);
    await expect(page.getByRole('button', { name: 'Se déconnecter' })).toHaveCount(0);
    const qa = page.locator('.question', { hasText: question });
    await expect(qa).toContainText(answer);
    const main = page.locator('main');
    await expect(main).not.toContainText(FIRM);
    const firmName = asker.replace(/\s*\([^)]*\)\s*$/, '').trim();
    expect(firmName.length, 'the asker has an organisation name').toBeGreaterThan(0);
    await expect(main).not.toContainText(firmName);
    await axe(page, 'consultation (question et réponse)');

    // Notices published elsewhere (BOAMP, TED), searchable without an account.
    await page.goto('/avis');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Avis publiés ailleurs');
    await axe(page, 'avis publiés ailleurs');

    await page.getByRole('link', { name: 'Structures inclusives' }).click();
    await page.getByLabel('Métier').selectOption('restauration');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await expect(page.getByRole('status')).toContainText('trouvée');
    await axe(page, 'structures inclusives');

    await page.goto('/bibliotheque');
    await axe(page, 'bibliothèque');
    await page.getByRole('link', { name: 'Clause d’insertion pour les marchés de travaux' }).click();
    await expect(page.getByText('Mise en avant par la coordination')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Modèle de relevé mensuel des heures.csv' })).toBeVisible();
    await axe(page, 'fiche de la bibliothèque');

    // The permanent test consultation, where a firm can try a deposit before a real deadline.
    await page.goto('/consultation-de-test');
    await expect(page).toHaveURL(/\/consultations\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consultation de test : essayez le dépôt d’un pli');
    await expect(page.locator('main .info').first()).toContainText('Consultation de test');
    await expect(page.getByRole('link', { name: 'Connectez-vous' }).first()).toBeVisible();
    await axe(page, 'consultation de test');
    await context.close();
  });

  await test.step('social clauses: drafted by the buyer, followed by the facilitator, public indicators', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const id = consultationUrl.match(/\/consultations\/(\d+)/)[1];
    await page.goto(`/acheteur/consultations/${id}/lots/1/clause-sociale`);
    await login(page, BUYER);
    await page.goto(`/acheteur/consultations/${id}/lots/1/clause-sociale`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Clause sociale d’insertion');
    await axe(page, 'clause sociale (formulaire)');
    await page.getByLabel('Montant HT du lot en euros').fill('1 000 000');
    await page.getByLabel('Part de main-d’œuvre (%)').fill('50');
    await page.getByLabel('Taux d’insertion (% des heures)').fill('5');
    await page.getByLabel('Coût horaire moyen chargé en euros HT').fill('30');
    await page.getByRole('button', { name: 'Calculer' }).click();
    await expect(page.getByRole('status')).toContainText('833 heures');
    await axe(page, 'clause sociale (calcul)');
    await page.getByLabel('Demandeurs d’emploi de longue durée (plus de 12 mois)').check();
    await page.getByLabel('Intérim d’insertion (ETTI)').check();
    await page.getByLabel('Motif de la modification (obligatoire)').fill('Ajout de la clause sociale d’insertion.');
    await page.getByRole('button', { name: 'Enregistrer la clause' }).click();
    await page.goto(consultationUrl);
    await expect(page.getByRole('heading', { name: 'Clauses sociales d’insertion' })).toBeVisible();
    await expect(page.locator('main')).toContainText('833 heures calculées');
    await axe(page, 'consultation (clause sociale)');
    await context.close();

    const facilitator = await browser.newContext();
    const f = await facilitator.newPage();
    await f.goto('/connexion');
    await login(f, FACILITATOR);
    await f.goto('/facilitateur');
    await expect(f.getByRole('heading', { level: 1 })).toHaveText('Espace facilitateur');
    await axe(f, 'espace facilitateur');
    await f.locator('#contrats ~ table a').first().click();
    await expect(f.getByRole('heading', { name: 'Placements' })).toBeVisible();
    await expect(f.locator('main')).toContainText('heures validées');
    await axe(f, 'contrat avec clause sociale');
    await f.goto('/facilitateur');
    await f.getByRole('link', { name: /^Bénéficiaire n° / }).first().click();
    await expect(f.getByRole('heading', { name: 'Identité' })).toBeVisible();
    await axe(f, 'bénéficiaire (identité)');
    await f.goto('/facilitateur/beneficiaires/nouveau');
    await axe(f, 'nouveau bénéficiaire');
    await f.goto('/facilitateur/operations');
    await expect(f.locator('main')).toContainText('NPNRU');
    await axe(f, 'opérations');
    await f.getByRole('link', { name: /NPNRU/ }).first().click();
    await expect(f.getByRole('heading', { level: 1 })).toContainText('NPNRU');
    await expect(f.getByRole('heading', { name: 'Contrats de l’opération' })).toBeVisible();
    await axe(f, 'opération');
    await facilitator.close();

    const firm = await browser.newContext();
    const e = await firm.newPage();
    await e.goto('/connexion');
    await login(e, FIRM);
    await e.goto('/clauses/contrats');
    await expect(e.getByRole('heading', { level: 1 })).toHaveText('Contrats avec clause sociale');
    await axe(e, 'contrats de l’entreprise');
    await firm.close();

    const visitor = await browser.newContext();
    const v = await visitor.newPage();
    await v.goto('/indicateurs');
    await expect(v.getByRole('heading', { level: 1 })).toContainText('Indicateurs des clauses sociales');
    await expect(v.locator('svg[role="img"]')).toHaveCount(2);
    await expect(v.locator('svg[role="img"]').first()).toBeVisible();
    await axe(v, 'indicateurs des clauses sociales');
    await visitor.close();
  });

  const failing = [...audited].filter(([, r]) => r.violations.length > 0).map(([name]) => name);
  console.log(`axe-core (${WCAG.join(', ')}): ${audited.size} pages checked, ${failing.length ? `violations on: ${failing.join(', ')}` : 'no violation'}.`);
});
