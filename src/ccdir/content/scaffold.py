"""`ccdir new`: a commented merchant file to fill in."""

from __future__ import annotations

from pathlib import Path

from ccdir.content.config import Project
from ccdir.content.model import PLACEHOLDER, check_slug
from ccdir.core.problems import UserError

TEMPLATE = f"""\
# Fiche d'un commerce en click & collect. Remplacez chaque « {PLACEHOLDER} : … » puis lancez « ccdir validate »
# (qui refuse la fiche tant qu'il en reste un). Les lignes qui commencent par « # » sont des commentaires ;
# supprimez les champs facultatifs inutiles.
name: "{PLACEHOLDER} : nom du commerce"   # obligatoire
kind: "{PLACEHOLDER} : commerce, artisan, producteur, restaurant ou bar"   # obligatoire
categories: ["{PLACEHOLDER} : catégorie"]  # obligatoire : 1 à 5 identifiants de content/categories.yaml, par exemple [fleuriste]
description: "{PLACEHOLDER} : ce que vous proposez, en une ou deux phrases"   # facultatif, 1 000 caractères au plus
address:
  street: "{PLACEHOLDER} : numéro et rue"   # facultatif (marchés, fermes) : sinon retirez la ligne
  postcode: "{PLACEHOLDER} : code postal"   # obligatoire : 5 chiffres, entre guillemets, par exemple "45000"
  city: "{PLACEHOLDER} : commune"           # obligatoire : nom officiel de la commune
  # lat: 47.9029                           # facultatif, avec lon : position exacte
  # lon: 1.9093
contact:                                   # au moins un : phone, email ou website
  phone: "{PLACEHOLDER} : téléphone"        # par exemple "02 38 00 00 00"
  # email: contact@example.org
  # website: https://www.example.org
  # facebook: https://www.facebook.com/…
  # instagram: https://www.instagram.com/…
click_and_collect:                         # obligatoire
  order: [phone]                           # phone, email, website, sms, on_site, marketplace
  # order_url: https://boutique.example.org   # obligatoire avec website ou marketplace
  pickup: "{PLACEHOLDER} : où et comment retirer la commande"   # facultatif : sinon retirez la ligne
  # pickup_hours: "Tu-Sa 10:00-12:00,14:00-18:00"   # syntaxe OpenStreetMap (voir docs/horaires.md)
  delivery: false                          # livraison possible ?
# opening_hours: "Tu-Sa 09:30-19:00"       # horaires d'ouverture, syntaxe OpenStreetMap
# products:                                # facultatif, 100 au plus
#   - name: Bouquet de saison
#     price: 25                            # en euros
#     available: true
# points_of_sale:                          # facultatif : autres lieux de vente (docs/personnel/points-de-vente.md)
#   - kind: market                         # shop, farm, market, drive, amap, locker, partner
#     market: vierzon-samedi               # un marché de content/markets/, ou une « address »
#     hours: "Sa 08:00-12:30"              # jours et horaires de ce lieu
# siret: "73282932000074"                  # facultatif : 14 chiffres
# updated: 2020-11-05                      # date de mise à jour (AAAA-MM-JJ)
"""


def schema_line(project: Project) -> str:
    """First line of a merchant file: editors with the YAML language server validate against the published
    JSON Schema as staff type (`site/schema/merchant.json`, written by the build)."""
    from ccdir.content.schema import SCHEMA_PATH

    return f"# yaml-language-server: $schema={project.settings.base_url}{SCHEMA_PATH}\n"


def check_folder(folder: str) -> str | None:
    """None when `folder` (a sub-folder of content/merchants/) is acceptable, else a French message."""
    if folder and (msg := check_slug(folder)) is not None:
        return msg.replace("nom de fichier", "nom de dossier").replace(f"{folder}.yaml", folder)
    return None


def new_merchant(project: Project, slug: str, folder: str = "") -> Path:
    """Write the commented template as `content/merchants/[folder/]<slug>.yaml`; refuses to overwrite.

    Raises UserError for a bad name or folder, or when a file of that name exists anywhere.
    """
    if (msg := check_slug(slug) or check_folder(folder)) is not None:
        raise UserError(msg)
    existing = next(iter(project.merchants_dir.rglob(f"{slug}.yaml")), None) if project.merchants_dir.is_dir() else None
    if existing is not None:
        raise UserError(
            f"une fiche « {slug} » existe déjà : {existing.relative_to(project.root)} ; "
            "choisissez un autre nom ou modifiez celle-ci"
        )
    target = project.merchants_dir / folder / f"{slug}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_line(project) + TEMPLATE, encoding="utf-8")
    return target
