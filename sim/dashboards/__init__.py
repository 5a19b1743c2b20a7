"""Dashboards (CP6): pivots over the ERP's sales data, charts, saved dashboards and their exports."""
