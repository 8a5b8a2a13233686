"""The leadership report of the success measurement: structure, process and outcome of one
year on (at most) two printed pages, and the same tables as an XLSX workbook."""
