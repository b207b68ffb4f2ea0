"""Running a compiled facility rule on Spark: the same SQLGlot tree generated in Spark's
dialect, over the relation handed to Spark as an Arrow-backed DataFrame.

The session is ``SparkSession.builder.getOrCreate()``: local mode (``local[*]``) unless the
environment points elsewhere. To run on a cluster, set the usual Spark settings before
cbcheck starts, e.g. ``SPARK_REMOTE=sc://spark-master:15002`` (Spark Connect) or
``PYSPARK_SUBMIT_ARGS="--master spark://host:7077 pyspark-shell"``; cbcheck sends the
relation and gets back only the covered facilities' verdicts.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np


@functools.cache
def session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        from cbcheck.errors import UsageError
        from cbcheck.i18n.message import Msg

        raise UsageError(Msg("rest.spark_missing"), hint=Msg("rest.spark_missing_hint")) from None
    builder = SparkSession.builder.appName("cbcheck")
    if not os.environ.get("SPARK_REMOTE") and "--master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]").config("spark.ui.enabled", "false") \
            .config("spark.sql.shuffle.partitions", "4")
    spark = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true") \
        .config("spark.sql.session.timeZone", "UTC").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(compiled: Any) -> dict[str, np.ndarray]:
    import pyarrow as pa

    from cbcheck.backends.duck import to_numpy

    import warnings

    spark = session()
    table = compiled.relation.arrow_table()
    with warnings.catch_warnings():          # pyspark's notes on pandas versions are not the user's business
        warnings.simplefilter("ignore")
        frame = spark.createDataFrame(table.to_pandas())
        frame.createOrReplaceTempView("facility_relation")
        rows = spark.sql(compiled.sql("spark")).toPandas()
    return to_numpy(pa.Table.from_pandas(rows, preserve_index=False))
