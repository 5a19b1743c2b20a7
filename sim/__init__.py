"""advsim: a sales-administration (ADV) simulator for French certification exams."""
