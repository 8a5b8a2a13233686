"""The network pages: views, view-models, map data, tables and file exports."""
