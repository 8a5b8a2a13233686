"""A realistic, fictional Landkreis for trying Coordinator out."""
