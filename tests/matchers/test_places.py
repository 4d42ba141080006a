"""Gazetteer, postcodes and distances."""

from __future__ import annotations

import numpy as np
import pandas as pd

from matchers.places import distance_km, gazetteer, place_columns, postcode_area, postcode_district


def test_stratford_is_in_newham_district() -> None:
    place = gazetteer().locate("Stratford")
    assert place is not None and place.district == "NEWHAM"


def test_neighbourhood_missing_from_geonames_still_locates() -> None:
    place = gazetteer().locate("Forest Gate")
    assert place is not None and place.district == "NEWHAM" and not np.isnan(place.lat)


def test_saint_abbreviation_and_trailing_county() -> None:
    g = gazetteer()
    assert g.locate("St. Albans") == g.locate("Saint Albans") is not None
    assert g.locate("East Ham, London") == g.locate("East Ham")
    assert g.locate("Nowhere-on-Sea") is None


def test_postcode_parts() -> None:
    assert postcode_area("N16 8YF") == "N" and postcode_district("N16 8YF") == "N16"
    assert postcode_area("b1 1aa") == "B" and postcode_district("SW1A1AA") == "SW1A"
    assert postcode_area("not a postcode") == "" and postcode_area(None) == ""


def test_distance_vectorised_and_sane() -> None:
    d = distance_km(np.array([51.5074, 51.5]), np.array([-0.1278, 0.0]),
                    np.array([52.4862, 51.5]), np.array([-1.8904, 0.0]))
    assert 160 < d[0] < 165 and d[1] == 0


def test_place_columns_keeps_unknown_names() -> None:
    out = place_columns(pd.Series(["Stratford", None, "Nowhere"], index=[3, 4, 5]))
    assert out.index.tolist() == [3, 4, 5]
    assert out["district"].tolist() == ["NEWHAM", "", ""]
    assert out["place"].tolist()[2] == "NOWHERE" and np.isnan(out["lat"].iloc[2])


def test_london_borough_is_not_a_namesake_elsewhere() -> None:
    southwark, camberwell = gazetteer().locate("Southwark"), gazetteer().locate("Camberwell")
    assert southwark is not None and camberwell is not None
    assert distance_km(southwark.lat, southwark.lon, camberwell.lat, camberwell.lon) < 10
