"""Fitting the classifiers: ``policytext train``, the scikit-learn pipelines and the model card.

Needs the ``train`` extra (scikit-learn, SciPy, skops). Nothing outside this package imports it
except the ``train`` command: extraction classifies with ``policytext.classify``, which reads the
numpy form that training exports. ``labelled`` reads the labelled corpus without scikit-learn, for
``policytext evaluate labels``.
"""
