"""Writers for reports and exports: PDF through WeasyPrint, CSV and XLSX; no data gathering here."""
