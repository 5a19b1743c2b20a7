"""Trade-show reception (CP8): visitors at the stand, their questions, the contact form."""
